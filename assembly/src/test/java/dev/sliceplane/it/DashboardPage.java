package dev.sliceplane.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The node's dashboard as the tests see it. It refills its tables every few seconds, so tables
 * are read in one script run (a consistent snapshot) rather than element by element.
 */
final class DashboardPage {

    /** Longer than the page's refresh period (5 s), with room for a slow machine. */
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static final String READ_TABLE = """
            return Array.from(document.querySelectorAll("#" + arguments[0] + " tbody tr"))
              .map(tr => Array.from(tr.cells).map(td => ({ text: td.textContent, cls: td.className })));
            """;

    /** One table cell: its text and its class (the page colours states by class). */
    record Cell(String text, String cls) {
    }

    private final WebDriver driver;
    private final String url;

    DashboardPage(WebDriver driver, String url) {
        this.driver = driver;
        this.url = url;
    }

    DashboardPage open() {
        driver.get(url);
        return this;
    }

    /** The text of the element with this id, such as {@code node-line} or {@code error}. */
    String text(String id) {
        Object text = ((JavascriptExecutor) driver)
                .executeScript("const e = document.getElementById(arguments[0]); return e ? e.textContent : null;", id);
        return text == null ? "" : text.toString();
    }

    /** Whether the element with this id is shown. */
    boolean shown(String id) {
        return (Boolean) ((JavascriptExecutor) driver)
                .executeScript("const e = document.getElementById(arguments[0]); return !!e && !e.hidden;", id);
    }

    /** Signs in with an API key through the page's form. */
    DashboardPage signIn(String apiKey) {
        await("the sign-in form", () -> shown("login"));
        driver.findElement(By.id("api-key")).sendKeys(apiKey);
        driver.findElement(By.id("sign-in")).click();
        return this;
    }

    /** The rows of a table ({@code health}, {@code services}, {@code slices}, {@code bundles}). */
    @SuppressWarnings("unchecked")
    List<List<Cell>> rows(String table) {
        List<List<Map<String, String>>> raw = (List<List<Map<String, String>>>)
                ((JavascriptExecutor) driver).executeScript(READ_TABLE, table);
        return raw.stream().map(row -> row.stream().map(c -> new Cell(c.get("text"), c.get("cls"))).toList()).toList();
    }

    /** The row of a table whose first cell is {@code key}. */
    Optional<List<Cell>> row(String table, String key) {
        return rows(table).stream().filter(row -> row.get(0).text().equals(key)).findFirst();
    }

    /** Clicks the button that swaps a sub-service, retrying when a refresh replaced it under the click. */
    void clickSwap(String service, String implementation) {
        By button = By.xpath("//table[@id='services']/tbody/tr[td[1]='" + service + "']//button[.='swap to "
                + implementation + "']");
        new WebDriverWait(driver, TIMEOUT)
                .ignoring(StaleElementReferenceException.class)
                .withMessage(() -> "no button to swap " + service + " to " + implementation + "; " + describe())
                .until(d -> {
                    d.findElement(button).click();
                    return true;
                });
    }

    /**
     * Asks for a swap as the page's buttons do, without needing one on screen: while the node is
     * down the page keeps whatever tables its last refresh drew, which may lack the button.
     */
    void requestSwap(String service, String implementation) {
        ((JavascriptExecutor) driver).executeScript("swap(arguments[0], arguments[1]);", service, implementation);
    }

    /** Waits until the condition holds, failing with what the page shows. */
    void await(String what, Supplier<Boolean> condition) {
        try {
            new WebDriverWait(driver, TIMEOUT).until(d -> condition.get());
        } catch (TimeoutException e) {
            throw new AssertionError("the dashboard did not show " + what + " within " + TIMEOUT + "; " + describe(), e);
        }
    }

    /** What the page shows, for failure messages. */
    String describe() {
        return "page error: '" + text("error") + "', page text:\n"
                + ((JavascriptExecutor) driver).executeScript("return document.body.innerText;");
    }
}
