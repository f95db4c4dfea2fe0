package io.partnerhooks.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The direction of dependencies that Maven modules alone cannot enforce. */
class ArchitectureTest {
    static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.partnerhooks");
    }

    @Test
    void theCoreKnowsNoDatabaseNoWebFrameworkAndNoHttpClient() {
        noClasses()
                .that()
                .resideInAPackage("io.partnerhooks.core..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "java.sql..",
                        "javax.sql..",
                        "io.javalin..",
                        "org.eclipse.jetty..",
                        "com.zaxxer..",
                        "org.flywaydb..",
                        "io.partnerhooks.storage..",
                        "io.partnerhooks.server..",
                        "io.opentelemetry..")
                .check(classes);
    }

    @Test
    void storageDoesNotReachIntoTheServer() {
        noClasses()
                .that()
                .resideInAPackage("io.partnerhooks.storage..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.partnerhooks.server..", "io.javalin..", "org.eclipse.jetty..", "io.opentelemetry..")
                .check(classes);
    }

    @Test
    void httpHandlersDoNotTalkToTheDatabase() {
        noClasses()
                .that()
                .resideInAPackage("io.partnerhooks.server.api..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("java.sql..", "javax.sql..", "com.zaxxer..")
                .check(classes);
    }

    /**
     * ADR 16: the API, the dashboard and the command line reach the core through its use cases
     * only; the store ports (and the records nested in them) are for the use cases and the storage
     * that implements them. Values that cross the line live in core.domain.
     */
    @Test
    void handlersDashboardAndCliGoThroughUseCasesNotStorePorts() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "io.partnerhooks.server.api..", "io.partnerhooks.server.ui..", "io.partnerhooks.server.cli..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.partnerhooks.core.port..")
                .check(classes);
    }

    /**
     * The request and response records are plain data mapped by Jackson: they know the core's
     * domain, not the handlers around them nor the web framework.
     */
    @Test
    void theApiRecordsKnowNeitherTheHandlersNorTheWebFramework() {
        noClasses()
                .that()
                .resideInAPackage("io.partnerhooks.server.api.model..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.partnerhooks.server.api", "io.javalin..", "io.partnerhooks.core.port..")
                .check(classes);
    }

    @Test
    void theDomainDoesNotReadTheClockOrMakeRandomness() {
        noClasses()
                .that()
                .resideInAnyPackage("io.partnerhooks.core..", "io.partnerhooks.storage..")
                .should()
                .callMethod(Instant.class, "now")
                .orShould()
                .callConstructor(Random.class)
                .orShould()
                .callMethod(System.class, "currentTimeMillis")
                .check(classes);
    }

    /** The core's packages form layers: ports, policies and the domain never reach back up. */
    @Test
    void theCorePackagesAreFreeOfCycles() {
        slices().matching("io.partnerhooks.core.(*)..")
                .should()
                .beFreeOfCycles()
                .check(classes);
    }
}
