package dev.anycastd.testkit.frr;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that starts one {@link FrrLab} for a test class and injects it into test
 * constructors and methods that declare a {@code FrrLab} parameter; the lab is closed after the
 * class's last test, whether tests passed or not.
 *
 * <p>Where the lab cannot run ({@link FrrLab#unavailableReason()}), the class's tests are
 * skipped with that reason, unless the environment variable {@code CI} is {@code true}: then they
 * fail, because CI must exercise real FRR.
 *
 * <pre>{@code
 * @ExtendWith(FrrLabExtension.class)
 * class FrrPrefixTest {
 *     @Test
 *     void upstreamLearnsAnnouncedPrefix(FrrLab lab) { ... }
 * }
 * }</pre>
 */
public final class FrrLabExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(FrrLabExtension.class);

    /** Used by JUnit. */
    public FrrLabExtension() {
    }

    /**
     * Skips (or, on CI, fails) the calling test when the lab cannot run here. For tests that start
     * their own {@link FrrLab} instead of using the extension.
     */
    public static void assumeAvailable() {
        Optional<String> reason = FrrLab.unavailableReason();
        if (reason.isEmpty()) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("CI=true, so tests against real FRR must run, but " + reason.get());
        }
        Assumptions.abort("Skipped: " + reason.get() + " (set CI=true to make this a failure)");
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        assumeAvailable();
        context.getStore(NAMESPACE).put(FrrLab.class, FrrLab.start());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        FrrLab lab = context.getStore(NAMESPACE).remove(FrrLab.class, FrrLab.class);
        if (lab != null) {
            lab.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == FrrLab.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        FrrLab lab = context.getStore(NAMESPACE).get(FrrLab.class, FrrLab.class);
        if (lab == null) {
            throw new UncheckedIOException(new IOException("no FRR lab was started for " + context.getDisplayName()));
        }
        return lab;
    }
}
