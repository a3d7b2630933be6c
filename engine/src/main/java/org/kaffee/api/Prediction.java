package org.kaffee.api;

/** One class of a net's answer: its index, its label (the index when there are no labels), its probability. */
public record Prediction(int index, String label, float probability) {
}
