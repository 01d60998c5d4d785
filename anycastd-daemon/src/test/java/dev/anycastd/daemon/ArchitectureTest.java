package dev.anycastd.daemon;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaFieldAccess;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.GeneralCodingRules;
import java.util.List;

/**
 * The architecture of ARCHITECTURE.md as rules over every module's main classes; they live
 * here because the daemon's test class path is the one that holds all modules.
 */
@AnalyzeClasses(packages = "dev.anycastd", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule coreDependsOnlyOnTheJdkAndSlf4j = classes()
            .that().resideInAPackage("dev.anycastd.core..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("dev.anycastd.core..", "java..", "javax.net.ssl..", "org.slf4j..")
            .because("embedders and plugin authors take core alone; TOML, JSON, HTTP and logging backends belong to adapters and the daemon"
                    + " (javax.net.ssl is the JDK's TLS, for the one ca-file reader every https adapter shares: PemTrust)");

    @ArchTest
    static final ArchRule adaptersAreSeenOnlyByTheDaemonAndNeverSeeEachOther = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("Core").definedBy("dev.anycastd.core..")
            .layer("FRRouting").definedBy("dev.anycastd.frr..")
            .layer("Cabourotte").definedBy("dev.anycastd.cabourotte..")
            .layer("TOML configuration").definedBy("dev.anycastd.config.toml..")
            .layer("Daemon").definedBy("dev.anycastd.daemon..")
            .layer("Testkit").definedBy("dev.anycastd.testkit..")
            .whereLayer("FRRouting").mayOnlyBeAccessedByLayers("Daemon")
            .whereLayer("Cabourotte").mayOnlyBeAccessedByLayers("Daemon")
            .whereLayer("TOML configuration").mayOnlyBeAccessedByLayers("Daemon")
            .whereLayer("Daemon").mayNotBeAccessedByAnyLayer()
            .whereLayer("Testkit").mayNotBeAccessedByAnyLayer()
            .because("each adapter wraps one outside system and meets the others only through core's ports,"
                    + " wired by the daemon; production code never depends on test fakes");

    @ArchTest
    static final ArchRule adaptersUseOnlyThePortsAndTheSpiOfCore = noClasses()
            .that().resideInAnyPackage("dev.anycastd.frr..", "dev.anycastd.cabourotte..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.anycastd.core.service..", "dev.anycastd.core.runtime..")
            .because("a routing daemon or checker adapter implements a port and is built by its provider;"
                    + " when and why it is called is core's business, so the state machine and runtime can change freely");

    @ArchTest
    static final ArchRule onlyCoreSeesItsInternals = noClasses()
            .that().resideOutsideOfPackage("dev.anycastd.core..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.anycastd.core.internal..")
            .because("core's internal packages (the service state machine) are public only because the runtime in another"
                    + " package uses them; they are not API, so they can change with each policy feature");

    @ArchTest
    static final ArchRule theConfigurationReaderBuildsDefinitionsButNeverRunsThem = noClasses()
            .that().resideInAPackage("dev.anycastd.config.toml..")
            .should().dependOnClassesThat().resideInAPackage("dev.anycastd.core.runtime..")
            .because("reading a file must not start anything: check-config uses the same reader");

    @ArchTest
    static final ArchRule packagesHaveNoCycles = slices().matching("dev.anycastd.(**)")
            .should().beFreeOfCycles()
            .because("a package is a room with one purpose; a cycle makes two rooms one");

    @ArchTest
    static final ArchRule onlyCommandLineEntryPointsWriteToStandardStreams = noClasses()
            .should(accessStandardStreamsOutsideMainMethods())
            .because("output goes through the command line's writers (picocli's, or a lab program's main) and logs"
                    + " through SLF4J, where operators collect them");

    @ArchTest
    static final ArchRule nothingUsesJavaUtilLogging = GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING
            .because("every log line goes through SLF4J, so one configuration decides its format");

    @ArchTest
    static final ArchRule nothingThrowsGenericExceptions = GeneralCodingRules.NO_CLASSES_SHOULD_THROW_GENERIC_EXCEPTIONS
            .because("an exception's type says whose mistake it is: the operator's (ConfigurationException), the routing daemon's (RoutingException) or a bug");

    /** GeneralCodingRules.ACCESS_STANDARD_STREAMS, except in {@code main} methods: they are command lines. */
    private static ArchCondition<JavaClass> accessStandardStreamsOutsideMainMethods() {
        return new ArchCondition<>("access standard streams outside a main method") {
            @Override
            public void check(JavaClass javaClass, ConditionEvents events) {
                for (JavaFieldAccess access : javaClass.getFieldAccessesFromSelf()) {
                    boolean stream = access.getTargetOwner().isEquivalentTo(System.class)
                            && List.of("out", "err", "in").contains(access.getName());
                    if (stream && !access.getOrigin().getName().equals("main")) {
                        events.add(SimpleConditionEvent.satisfied(access, access.getDescription()));
                    }
                }
                for (JavaMethodCall call : javaClass.getMethodCallsFromSelf()) {
                    if (call.getTarget().getName().equals("printStackTrace") && call.getTarget().getRawParameterTypes().isEmpty()
                            && call.getTargetOwner().isAssignableTo(Throwable.class)) {
                        events.add(SimpleConditionEvent.satisfied(call, call.getDescription()));
                    }
                }
            }
        };
    }

    @ArchTest
    static final ArchRule loggersArePrivateStaticFinal = fields()
            .that().haveRawType(org.slf4j.Logger.class)
            .should().bePrivate().andShould().beStatic().andShould().beFinal()
            .allowEmptyShould(true)
            .because("each class logs under its own name, and only it does");
}
