package io.forwardloop.registry.internal;

import static io.forwardloop.registry.internal.Html.esc;

import io.forwardloop.registry.AdapterSummary;
import io.forwardloop.registry.AdapterVersion;
import io.forwardloop.registry.AliasInfo;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;

/**
 * The server-rendered dashboard: an index of adapters and a page per adapter with its aliases, a
 * chart of holdout metrics over time, its versions with step counts, its lineage and its alias
 * history. Self-contained HTML: no scripts or styles are fetched.
 */
final class Dashboard {
    private static final String STYLE =
            "body{font-family:sans-serif;margin:24px;color:#222}"
                    + "table{border-collapse:collapse;margin:8px 0 20px}"
                    + "th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;font-size:13px}"
                    + "th{background:#f2f2f2}code{font-size:12px}.retired{color:#999}";

    private final RegistryStore store;

    Dashboard(RegistryStore store) {
        this.store = store;
    }

    String index() {
        StringBuilder rows = new StringBuilder();
        for (AdapterSummary a : store.adapters()) {
            rows.append("<tr><td><a href=\"/ui/adapters/")
                    .append(esc(a.name()))
                    .append("\">")
                    .append(esc(a.name()))
                    .append("</a></td><td>")
                    .append(a.latestVersion())
                    .append("</td><td>")
                    .append(a.versionCount())
                    .append("</td><td>")
                    .append(esc(new TreeMap<>(a.aliases())))
                    .append("</td></tr>");
        }
        String table =
                "<table id=\"adapters\"><tr><th>adapter</th><th>latest version</th>"
                        + "<th>versions</th><th>aliases</th></tr>"
                        + rows
                        + "</table>";
        return page("Model registry", "<h1>Adapters</h1>" + table);
    }

    String adapter(String name) {
        AdapterSummary summary = store.adapter(name);
        List<AdapterVersion> versions = store.versions(name);
        List<AliasInfo> aliases = store.aliases(name);
        String body =
                "<h1>Adapter "
                        + esc(name)
                        + "</h1><p><a href=\"/\">all adapters</a></p>"
                        + "<h2>Aliases</h2>"
                        + aliasTable(aliases)
                        + "<h2>Holdout metrics over time</h2>"
                        + MetricsChart.svg(versions)
                        + "<h2>Versions</h2>"
                        + versionTable(versions)
                        + "<h2>Lineage</h2>"
                        + lineage(summary, aliases)
                        + "<h2>Alias history</h2>"
                        + historyTable(name);
        return page("Adapter " + name, body);
    }

    private static String aliasTable(List<AliasInfo> aliases) {
        StringBuilder t =
                new StringBuilder(
                        "<table id=\"aliases\"><tr><th>alias</th><th>version</th>"
                                + "<th>previous</th><th>artifact</th><th>moved</th></tr>");
        for (AliasInfo a : aliases) {
            t.append("<tr data-alias=\"")
                    .append(esc(a.alias()))
                    .append("\"><td>")
                    .append(esc(a.alias()))
                    .append("</td><td>")
                    .append(a.version())
                    .append("</td><td>")
                    .append(a.previousVersion() == null ? "" : a.previousVersion())
                    .append("</td><td><code>")
                    .append(a.artifactSha256(), 0, 12)
                    .append("</code></td><td>")
                    .append(time(a.updatedAtMs()))
                    .append("</td></tr>");
        }
        return t.append("</table>").toString();
    }

    private static String versionTable(List<AdapterVersion> versions) {
        StringBuilder t =
                new StringBuilder(
                        "<table id=\"versions\"><tr><th>version</th><th>parent</th><th>steps</th>"
                                + "<th>step range</th><th>metrics</th><th>kind</th>"
                                + "<th>encoder</th><th>size</th><th>SHA-256</th>"
                                + "<th>published</th><th>retired</th></tr>");
        for (AdapterVersion v : versions) {
            t.append(versionRow(v));
        }
        return t.append("</table>").toString();
    }

    private static String versionRow(AdapterVersion v) {
        var l = v.lineage();
        String range = l.stepFrom() == null ? "" : l.stepFrom() + ".." + l.stepTo();
        return "<tr data-version=\""
                + v.version()
                + "\""
                + (v.retired() ? " class=\"retired\"" : "")
                + "><td>"
                + v.version()
                + "</td><td>"
                + (l.parentVersion() == null ? "" : l.parentVersion())
                + "</td><td class=\"steps\">"
                + (l.stepCount() == null ? "" : l.stepCount())
                + "</td><td>"
                + range
                + "</td><td>"
                + esc(new TreeMap<>(v.metrics()))
                + "</td><td>"
                + esc(v.kind())
                + "</td><td>"
                + esc(v.encoderId())
                + "</td><td>"
                + v.artifactSizeBytes()
                + "</td><td><code>"
                + v.artifactSha256().substring(0, 12)
                + "</code></td><td>"
                + time(v.createdAtMs())
                + "</td><td>"
                + (v.retired() ? time(v.retiredAtMs()) : "")
                + "</td></tr>";
    }

    private String lineage(AdapterSummary summary, List<AliasInfo> aliases) {
        long head = aliases.isEmpty() ? summary.latestVersion() : aliases.get(0).version();
        StringBuilder chain = new StringBuilder("<ol id=\"lineage\">");
        for (AdapterVersion v : store.lineage(summary.name(), head)) {
            chain.append("<li data-version=\"")
                    .append(v.version())
                    .append("\">version ")
                    .append(v.version());
            if (v.lineage().stepCount() != null) {
                chain.append(", ").append(v.lineage().stepCount()).append(" steps");
            }
            chain.append("</li>");
        }
        return chain.append("</ol>").toString();
    }

    private String historyTable(String name) {
        StringBuilder t =
                new StringBuilder(
                        "<table id=\"alias-history\"><tr><th>when</th><th>alias</th>"
                                + "<th>event</th><th>from</th><th>to</th></tr>");
        for (AliasMoves.Move m : store.aliasHistory(name)) {
            t.append("<tr><td>")
                    .append(time(m.movedAtMs()))
                    .append("</td><td>")
                    .append(esc(m.alias()))
                    .append("</td><td>")
                    .append(esc(m.eventType()))
                    .append(m.rolledBack() ? " (undone)" : "")
                    .append("</td><td>")
                    .append(m.previousVersion() == null ? "" : m.previousVersion())
                    .append("</td><td>")
                    .append(m.version())
                    .append("</td></tr>");
        }
        return t.append("</table>").toString();
    }

    private static String time(long ms) {
        return Instant.ofEpochMilli(ms).toString();
    }

    private static String page(String title, String body) {
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
                + esc(title)
                + "</title><style>"
                + STYLE
                + "</style></head><body>"
                + body
                + "</body></html>";
    }
}
