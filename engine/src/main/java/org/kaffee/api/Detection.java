package org.kaffee.api;

/**
 * One object a detector found: its class, the class's name (the index when there are no
 * labels), its score, and its box in pixels of the original image (corners, x to the right,
 * y down).
 */
public record Detection(int label, String labelName, float score, float xmin, float ymin, float xmax,
    float ymax) {
}
