package io.forwardloop.cli.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** Reads the version the build wrote into {@code forwardloop-version.properties}. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
        Properties properties = new Properties();
        try (InputStream in =
                VersionProvider.class.getResourceAsStream("/forwardloop-version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        }
        return new String[] {
            "forwardloop " + properties.getProperty("version", "unknown"),
            "Java "
                    + System.getProperty("java.version")
                    + " ("
                    + System.getProperty("java.vendor")
                    + ")"
        };
    }
}
