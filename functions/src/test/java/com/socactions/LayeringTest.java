package com.socactions;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package layering, checked on the compiled main classes: {@code api} on top; the capabilities
 * (one package per operation family) below it; the shared packages (upstream clients, indicator
 * parsing, providers, platform) at the bottom, never reaching up. A dependency that breaks it fails
 * here, naming the classes.
 */
class LayeringTest {
  /** The operation families: each may use the shared packages, none may be used by them. */
  private static final String[] CAPABILITIES = {
    "com.socactions.blocking..",
    "com.socactions.cmdb..",
    "com.socactions.decisions..",
    "com.socactions.enrichment..",
    "com.socactions.health..",
    "com.socactions.identity..",
    "com.socactions.jobs..",
    "com.socactions.ledger..",
    "com.socactions.taxii..",
    "com.socactions.tickets.."
  };

  private static JavaClasses classes;

  private static String[] capabilitiesBut(String own) {
    return Arrays.stream(CAPABILITIES).filter(p -> !p.equals(own)).toArray(String[]::new);
  }

  @BeforeAll
  static void importMainClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("com.socactions");
  }

  /** Classes of the connector outside the packages given. */
  private static DescribedPredicate<JavaClass> connectorClassesOutside(String... allowed) {
    return JavaClass.Predicates.resideInAPackage("com.socactions..")
        .and(JavaClass.Predicates.resideOutsideOfPackages(allowed));
  }

  @Test
  void platformDependsOnNoOtherPackageOfTheConnector() {
    noClasses()
        .that()
        .resideInAPackage("com.socactions.platform..")
        .should()
        .dependOnClassesThat(connectorClassesOutside("com.socactions.platform.."))
        .because("every package builds on platform, so platform can build on none of them")
        .check(classes);
  }

  @Test
  void indicatorsDependOnlyOnThemselvesAndPlatform() {
    noClasses()
        .that()
        .resideInAPackage("com.socactions.indicators..")
        .should()
        .dependOnClassesThat(
            connectorClassesOutside("com.socactions.indicators..", "com.socactions.platform.."))
        .because("indicator parsing is the vocabulary every capability shares")
        .check(classes);
  }

  @Test
  void sharedUpstreamPackagesDependOnNoCapability() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "com.socactions.graph..",
            "com.socactions.sentinel..",
            "com.socactions.servicenow..",
            "com.socactions.providers..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(CAPABILITIES)
        .orShould()
        .dependOnClassesThat()
        .resideInAPackage("com.socactions.api..")
        .because("an upstream's client serves every capability that calls it")
        .check(classes);
  }

  @Test
  void graphDependsOnNoOtherUpstream() {
    noClasses()
        .that()
        .resideInAPackage("com.socactions.graph..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("com.socactions.sentinel..", "com.socactions.servicenow..")
        .because("Graph's client speaks Graph; callers translate their own upstream's shapes")
        .check(classes);
  }

  @Test
  void cmdbDependsOnNoOtherCapability() {
    noClasses()
        .that()
        .resideInAPackage("com.socactions.cmdb..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(capabilitiesBut("com.socactions.cmdb.."))
        .orShould()
        .dependOnClassesThat()
        .resideInAPackage("com.socactions.api..")
        .because(
            "blocking, identity and enrichment ask the CMDB (CriticalAssets, its lookups), never"
                + " the reverse")
        .check(classes);
  }

  @Test
  void onlyApiDependsOnApi() {
    noClasses()
        .that()
        .resideOutsideOfPackage("com.socactions.api..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("com.socactions.api..")
        .because("api translates HTTP to services and back; services know nothing of HTTP")
        .check(classes);
  }

  @Test
  void noCyclesBetweenPackages() {
    slices()
        .matching("com.socactions.(*)..")
        .should()
        .beFreeOfCycles()
        .because("a cycle makes two packages one that cannot be understood or tested apart")
        .check(classes);
  }
}
