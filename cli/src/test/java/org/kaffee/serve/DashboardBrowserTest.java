package org.kaffee.serve;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.testing.Requirements;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in Debian's chromium, headless, through chromedriver: a run page follows a
 * training that is writing its log, and "classify one" shows the predicted class of an
 * uploaded image. Screenshots go to target/screenshots/.
 */
class DashboardBrowserTest {
  static final Path SCREENSHOTS = Path.of("target", "screenshots");
  /** A small net trained long enough (display every 20) for the page to see it grow. */
  static final String TRAIN_NET = """
      name: "live"
      layer { name: "data" type: "DummyData" top: "data" top: "label"
              dummy_data_param { shape { dim: 32 dim: 16 } shape { dim: 32 }
                data_filler { type: "gaussian" std: 1 } data_filler { type: "constant" value: 1 } } }
      layer { name: "ip" type: "InnerProduct" bottom: "data" top: "ip"
              inner_product_param { num_output: 3 weight_filler { type: "xavier" } } }
      layer { name: "loss" type: "SoftmaxWithLoss" bottom: "ip" bottom: "label" top: "loss" }
      """;

  @TempDir
  static Path dir;
  static Dashboard dashboard;
  static WebDriver browser;
  static Process training;

  @BeforeAll
  static void start() throws IOException {
    // found as .ci/run finds them: on the PATH
    Optional<Path> chromium = Requirements.onPath("chromium");
    Optional<Path> chromedriver = Requirements.onPath("chromedriver");
    Requirements.require(Requirements.BROWSER, chromium.isPresent() && chromedriver.isPresent(),
        "chromium and chromedriver are not both on the PATH"
            + " (apt-get install -y chromium chromium-driver; .ci/run does it)");
    Path root = Files.createDirectories(dir.resolve("runs"));
    RunsFixture.create(root);
    dashboard = Dashboard.start(new RunsRoot(root), "127.0.0.1", 0, null);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.get().toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
        "--window-size=1280,1000");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(chromedriver.get().toFile()).usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
    Files.createDirectories(SCREENSHOTS);
  }

  @AfterAll
  static void stop() {
    if (training != null) {
      training.destroyForcibly();
    }
    if (browser != null) {
      browser.quit();
    }
    if (dashboard != null) {
      dashboard.close();
    }
  }

  static String page(String route) {
    return "http://127.0.0.1:" + dashboard.port() + "/#" + route;
  }

  static void screenshot(String name) throws IOException {
    File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), SCREENSHOTS.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /** Read in one script: the run page redraws itself every second. */
  static String script(String js) {
    Object value = ((JavascriptExecutor) browser).executeScript(js);
    return value == null ? null : value.toString();
  }

  static int lossPoints() {
    String n = script("const s = document.querySelector('#chart-loss svg');"
        + " return s ? s.getAttribute('data-points') : '-1';");
    return Integer.parseInt(n);
  }

  @Test
  void aRunPageGainsPointsWhileTrainingWritesItsLog() throws Exception {
    Path run = Files.createDirectories(dir.resolve("runs/live"));
    Files.writeString(run.resolve("net.prototxt"), TRAIN_NET);
    Files.writeString(run.resolve("solver.prototxt"), "net: \"" + run.resolve("net.prototxt")
        + "\"\nbase_lr: 0.1\nlr_policy: \"fixed\"\ndisplay: 20\nmax_iter: 200000\nrandom_seed: 1\n");
    Path log = run.resolve("train.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    training = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        "org.kaffee.cli.Main", "train", "--solver=" + run.resolve("solver.prototxt"))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(90));
    wait.until(d -> {
      try {
        return Files.readString(log).contains("Train net output");
      } catch (IOException e) {
        return false;
      }
    });
    browser.get(page("/run?log=live/train.log"));
    wait.until(d -> lossPoints() > 0);
    int first = lossPoints();
    wait.until(d -> lossPoints() > first + 2);
    int later = lossPoints();
    screenshot("run.png");
    assertTrue(later > first, first + " -> " + later + " points");
    wait.until(d -> script("return document.getElementById('speed').textContent").contains("it/s"));
    String solver = script("return document.getElementById('solver').textContent");
    assertTrue(solver.contains("base_lr: 0.1"), solver);
    training.destroyForcibly();
  }

  @Test
  void uploadingAnImageOnTheModelPageShowsThePredictedClass() throws Exception {
    Path image = dir.resolve("top.png");
    Files.write(image, RunsFixture.png(true));
    browser.get(page("/model?net=model/deploy.prototxt&weights=model/tiny.caffemodel"));
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
    wait.until(d -> !d.findElements(By.id("image")).isEmpty());
    browser.findElement(By.id("image")).sendKeys(image.toAbsolutePath().toString());
    browser.findElement(By.id("classify-button")).click();
    wait.until(d -> !d.findElements(By.cssSelector("#top5 li")).isEmpty());
    String best = browser.findElement(By.cssSelector("#top5 li")).getText();
    wait.until(d -> !d.findElements(By.xpath("//h2[starts-with(., 'Filters of')]")).isEmpty());
    screenshot("model.png");
    assertTrue(best.startsWith("top-bright"), best);
    assertTrue(browser.findElements(By.cssSelector(".maps img")).size() >= 1, "feature maps shown");
  }
}
