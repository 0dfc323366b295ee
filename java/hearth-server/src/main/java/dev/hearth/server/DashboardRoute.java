package dev.hearth.server;

import dev.hearth.server.openai.BadRequest;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * {@code GET /dashboard}: one page, its script and style from this module's resources, and uPlot (the charts) from its
 * WebJar on the class or module path; nothing is fetched from elsewhere. The page reads the orchestrator API.
 */
final class DashboardRoute {
    private static final String WEBJAR = "META-INF/resources/webjars/uplot/";
    private record Asset(String resource, boolean ownModule, String contentType) {
    }

    private static final Map<String, Asset> ASSETS = Map.of(
            "/dashboard", new Asset("dashboard.html", true, "text/html; charset=utf-8"),
            "/dashboard/app.js", new Asset("dashboard.js", true, "text/javascript; charset=utf-8"),
            "/dashboard/app.css", new Asset("dashboard.css", true, "text/css; charset=utf-8"),
            "/dashboard/uplot.js", new Asset("dist/uPlot.iife.min.js", false, "text/javascript; charset=utf-8"),
            "/dashboard/uplot.css", new Asset("dist/uPlot.min.css", false, "text/css; charset=utf-8"));

    private DashboardRoute() {
    }

    static HttpRouting.Builder register(HttpRouting.Builder routing) {
        ASSETS.forEach((path, asset) -> routing.get(path, (req, res) -> send(res, asset)));
        return routing;
    }

    private static void send(ServerResponse res, Asset asset) {
        try (InputStream in = open(asset)) {
            if (in == null) {
                Replies.error(res, new BadRequest(404, null, "asset_missing", asset.resource() + " is not in this"
                        + " build of Hearth; rebuild the server module (its jar carries the dashboard)"));
                return;
            }
            res.status(200);
            res.header("content-type", asset.contentType());
            res.header("cache-control", "no-cache");
            res.send(in.readAllBytes());
        } catch (IOException e) {
            Replies.error(res, new UncheckedIOException(e));
        }
    }

    private static InputStream open(Asset asset) {
        if (asset.ownModule()) {
            return DashboardRoute.class.getResourceAsStream(asset.resource());
        }
        return DashboardRoute.class.getClassLoader().getResourceAsStream(WEBJAR + uplotVersion() + "/"
                + asset.resource());
    }

    /** The WebJar's version, from its own Maven metadata: the pom that pins it is the one place it is written. */
    private static String uplotVersion() {
        try (InputStream in = DashboardRoute.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
            if (in == null) {
                return "missing";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "missing");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
