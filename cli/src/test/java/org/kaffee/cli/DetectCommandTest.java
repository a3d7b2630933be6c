package org.kaffee.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.data.Image;
import org.kaffee.inference.DetectionPicture;
import org.kaffee.testing.TinyDetectionNet;

/**
 * detect end to end on {@link TinyDetectionNet}: in an 80x40 image it finds a cat in the top-left
 * quarter (0.9), dogs in the top-right (0.7) and bottom-right (0.55) quarters.
 */
class DetectCommandTest {
  @TempDir
  Path dir;
  private CommandOutput command;
  private PrintStream savedOut;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  @BeforeEach
  void setUp() throws Exception {
    TinyDetectionNet.write(dir);
    Files.createDirectories(dir.resolve("images"));
    Files.write(dir.resolve("images/wide.png"), new Image(3, 40, 80, new byte[3 * 40 * 80]).encode("png"));
    Files.write(dir.resolve("images/square.png"), new Image(3, 20, 20, new byte[3 * 20 * 20]).encode("png"));
    command = new CommandOutput(dir);
    savedOut = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setOut(savedOut);
    command.close();
  }

  private int detect(String... flags) {
    String[] args = new String[flags.length + 4];
    args[0] = "detect";
    args[1] = "--model=tiny_ssd.prototxt";
    args[2] = "--weights=tiny_ssd.caffemodel";
    args[3] = "--labels=labels.txt";
    System.arraycopy(flags, 0, args, 4, flags.length);
    return command.run(args);
  }

  @Test
  void writesTheBoxesInPixelsToCsv() throws Exception {
    assertEquals(0, detect("--mean_value=104,117,123", "--output=boxes.csv", "images/wide.png"), command.err());
    List<String> rows = Files.readAllLines(dir.resolve("boxes.csv"));
    assertEquals(List.of("input,class,name,score,xmin,ymin,xmax,ymax",
        "images/wide.png,1,cat,0.9,0.0,0.0,40.0,20.0",
        "images/wide.png,2,dog,0.7,40.0,0.0,80.0,20.0",
        "images/wide.png,2,dog,0.55,40.0,20.0,80.0,40.0"), rows);
    String printed = out.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("---------- Detections for images/wide.png ----------\n"
        + "0.9000 - \"cat\" 0.0 0.0 40.0 20.0\n"), printed);
    assertTrue(command.takeMessages().stream().anyMatch(m -> m.startsWith("Detected objects in 1 images")));
  }

  @Test
  void aDirectoryWithALowerThresholdToJson() throws Exception {
    assertEquals(0, detect("--confidence=0.25", "--batch_size=2", "--output=boxes.json", "images"), command.err());
    JsonArray records = JsonParser.parseString(Files.readString(dir.resolve("boxes.json"))).getAsJsonArray();
    assertEquals(2, records.size());
    JsonObject square = records.get(0).getAsJsonObject();
    assertEquals("images/square.png", square.get("input").getAsString());
    JsonArray found = square.getAsJsonArray("detections");
    assertEquals(4, found.size());
    JsonObject weakest = found.get(3).getAsJsonObject();
    assertEquals("cat", weakest.get("name").getAsString());
    assertEquals(0.3, weakest.get("score").getAsDouble(), 1e-6);
    assertEquals(0, weakest.get("xmin").getAsDouble(), 1e-4);
    assertEquals(10, weakest.get("ymin").getAsDouble(), 1e-4);
    assertEquals(10, weakest.get("xmax").getAsDouble(), 1e-4);
    assertEquals(20, weakest.get("ymax").getAsDouble(), 1e-4);
    assertEquals(4, records.get(1).getAsJsonObject().getAsJsonArray("detections").size());
  }

  @Test
  void drawsEachBoxInItsClassColour() throws Exception {
    assertEquals(0, detect("--draw=drawn", "images/wide.png"), command.err());
    BufferedImage picture = ImageIO.read(dir.resolve("drawn/images_wide.png").toFile());
    assertEquals(80, picture.getWidth());
    assertEquals(40, picture.getHeight());
    int cat = DetectionPicture.colour(1).getRGB() & 0xffffff;
    int dog = DetectionPicture.colour(2).getRGB() & 0xffffff;
    assertTrue(cat != dog);
    assertEquals(cat, picture.getRGB(0, 15) & 0xffffff, "the cat box's left edge");
    assertEquals(dog, picture.getRGB(60, 39) & 0xffffff, "the bottom-right dog box's bottom edge");
    assertEquals(dog, picture.getRGB(79, 30) & 0xffffff, "the bottom-right dog box's right edge");
    assertEquals(0, picture.getRGB(20, 30) & 0xffffff, "the bottom-left quarter: its cat scores 0.3, not drawn");
    assertEquals(0, picture.getRGB(60, 30) & 0xffffff, "inside a box the image shows through");
    try (var left = Files.list(dir.resolve("drawn"))) {
      assertEquals(List.of("images_wide.png"), left.map(p -> p.getFileName().toString()).toList(),
          "no temporary file left");
    }
  }

  @Test
  void aBadFlagGivesOneLineAndExitOne() throws Exception {
    assertEquals(1, detect("--confidence=2", "images/wide.png"));
    String err = command.err().strip();
    assertFalse(err.contains("\n"), err);
    assertTrue(err.contains("confidence threshold must be in [0, 1], got 2.0"), err);
    assertEquals(1, detect("--output=boxes.txt", "images/wide.png"));
    assertTrue(command.err().contains("--output=") && command.err().contains("give a .csv or a .json file"),
        command.err());
    assertFalse(Files.exists(dir.resolve("boxes.txt")));
  }

  @Test
  void aClassifierNetIsRefusedInOneLine() throws Exception {
    Files.writeString(dir.resolve("plain.prototxt"), "layer { name: 'data' type: 'Input' top: 'data' "
        + "input_param { shape { dim: 1 dim: 3 dim: 8 dim: 8 } } }\n"
        + "layer { name: 'ip' type: 'InnerProduct' bottom: 'data' top: 'ip' inner_product_param { num_output: 2 } }\n");
    assertEquals(1, command.run("detect", "--model=plain.prototxt", "images/wide.png"));
    String err = command.err().strip();
    assertTrue(err.contains("needs DetectionOutput's 1 x 1 x N x 7"), err);
    assertEquals(1, err.lines().count(), err);
  }
}
