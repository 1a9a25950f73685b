package io.manifold.cluster;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium, driven through its own chromedriver: nothing is downloaded (the
 * binaries are given, so Selenium Manager is never asked), and with background networking off the
 * browser talks to 127.0.0.1 only. A fresh profile per run.
 */
final class Browser implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  /**
   * Selenium warns that it has no DevTools module for this Chromium's version; the test drives the
   * browser through WebDriver only, so that is no news. Held here: java.util.logging keeps its
   * loggers weakly.
   */
  private static final java.util.logging.Logger CDP_VERSION_FINDER = quiet("org.openqa.selenium.devtools.CdpVersionFinder");

  final ChromeDriver driver;

  private static java.util.logging.Logger quiet(String name) {
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
    logger.setLevel(java.util.logging.Level.SEVERE);
    return logger;
  }

  /** Skips the calling test, saying why, on a machine without the browser. */
  static void assumeInstalled() {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "the web console's browser test needs Debian's chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER
            + "); .ci/run installs them: apt-get install -y chromium chromium-driver");
  }

  Browser(Path profile) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
        "--user-data-dir=" + profile, "--window-size=1440,1300");
    // the page's console messages, for the diagnosis of a failed wait
    options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort()
        .build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30)).scriptTimeout(Duration.ofSeconds(10));
  }

  void open(String url) {
    driver.get(url);
  }

  /**
   * Waits (bounded) for a condition on the page; when it times out, says what was awaited, what
   * the page showed and what its scripts logged.
   */
  <T> T await(String what, Duration within, Function<WebDriver, T> condition) {
    try {
      // the console redraws its tables as it polls: an element found a moment ago may be replaced
      return new WebDriverWait(driver, within, Duration.ofMillis(100)).ignoring(StaleElementReferenceException.class)
          .withMessage(what).until(condition);
    } catch (TimeoutException e) {
      throw new AssertionError("waited " + within.toSeconds() + " s for " + what + "\n" + diagnosis(), e);
    }
  }

  /**
   * The errors the page's scripts logged since the last look, but for the browser's own line for
   * each refused request (a 401 or 422 the console was meant to show).
   */
  List<String> scriptErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .filter(m -> !m.contains("Failed to load resource"))
        .toList();
  }

  /** The page's text and its scripts' console messages. */
  String diagnosis() {
    StringBuilder b = new StringBuilder("page ").append(driver.getCurrentUrl()).append(":\n");
    try {
      b.append(driver.findElement(By.tagName("body")).getText());
    } catch (RuntimeException e) {
      b.append("(no page: ").append(e.getMessage()).append(')');
    }
    b.append("\nbrowser console:\n");
    for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
      b.append("  ").append(entry.getLevel()).append(' ').append(entry.getMessage()).append('\n');
    }
    return b.toString();
  }

  <T> T await(String what, Function<WebDriver, T> condition) {
    return await(what, Duration.ofSeconds(15), condition);
  }

  /** The element once it is on the page. */
  WebElement element(String css) {
    return await("an element " + css, d -> {
      List<WebElement> found = d.findElements(By.cssSelector(css));
      return found.isEmpty() ? null : found.get(0);
    });
  }

  /** The element's text now, or "" when there is none; read in one step, so never stale. */
  String text(String css) {
    Object t = driver.executeScript("const e = document.querySelector(arguments[0]); return e ? e.innerText : ''", css);
    return t == null ? "" : t.toString();
  }

  /** An attribute of the element now, or null; read in one step. */
  String attribute(String css, String name) {
    Object v = driver.executeScript("const e = document.querySelector(arguments[0]); return e ? e.getAttribute(arguments[1]) : null", css, name);
    return v == null ? null : v.toString();
  }

  List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  void type(String css, String text) {
    WebElement e = element(css);
    e.clear();
    e.sendKeys(text);
  }

  void click(String css) {
    element(css).click();
  }

  /** A picture of the page as it is, for a reviewer (under target/). */
  Path screenshot(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
    return file;
  }

  @Override
  public void close() {
    driver.quit();
  }
}
