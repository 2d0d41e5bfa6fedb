package com.socactions.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The docs a SOC engineer navigates hold together: every relative link in {@code README.md}, {@code
 * arm/README.md} and {@code docs/} reaches a file in the repository (and, for a Markdown file, a
 * heading or anchor in it), and nothing links outside the repository except vendors' documentation.
 */
class DocsLinksTest {
  private static final Path REPOSITORY =
      SettingsReferenceTest.REPOSITORY.toAbsolutePath().normalize();

  /** Vendors' documentation, the only places outside the repository the docs may link to. */
  static final Set<String> VENDOR_DOCS =
      Set.of(
          "learn.microsoft.com",
          "developer.atlassian.com",
          "support.atlassian.com",
          "docs.servicenow.com",
          "docs.paloaltonetworks.com",
          "dev.maxmind.com",
          "www.iana.org",
          "www.rfc-editor.org",
          "datatracker.ietf.org");

  private final Map<Path, Set<String>> anchors = new HashMap<>();

  @Test
  void everyRelativeLinkReachesAFileAndHeadingInTheRepository() {
    List<String> broken = new ArrayList<>();
    for (Path page : pages()) {
      for (Markdown.Link link : markdown(page).links()) {
        String target = link.target();
        if (target.startsWith("http://") || target.startsWith("https://")) {
          continue;
        }
        problem(page, target)
            .ifPresent(why -> broken.add(where(page, link) + " " + target + ": " + why));
      }
    }
    assertThat(broken).as("broken links").isEmpty();
  }

  @Test
  void linksOutsideTheRepositoryGoOnlyToVendorDocumentation() {
    List<String> outside = new ArrayList<>();
    for (Path page : pages()) {
      Markdown text = markdown(page);
      List<Markdown.Link> urls = new ArrayList<>(text.links());
      urls.addAll(text.bareUrls());
      for (Markdown.Link link : urls) {
        String target = link.target();
        if ((target.startsWith("http://") || target.startsWith("https://"))
            && !VENDOR_DOCS.contains(URI.create(target).getHost())) {
          outside.add(where(page, link) + " " + target);
        }
      }
    }
    assertThat(outside)
        .as(
            "links outside the repository that are no vendor documentation (put example URLs in"
                + " `code`)")
        .isEmpty();
  }

  @Test
  void theChecksSeeBrokenLinksAnchorsAndLinksOutOfTheRepository() {
    Path readme = REPOSITORY.resolve("README.md");

    assertThat(problem(readme, "docs/operations.md#getjob")).isEmpty();
    assertThat(problem(readme, "docs/operations.md#no-such-heading")).isPresent();
    assertThat(problem(readme, "docs/no-such-file.md")).isPresent();
    assertThat(problem(readme, "../shared/design/CONNECTOR-API.md")).isPresent();
    assertThat(problem(readme, "#quick-start")).isEmpty();
    assertThat(
            new Markdown(
                    "See [x](https://example.com/a) and https://example.org/b, not"
                        + " `https://c.test/`.")
                .bareUrls())
        .extracting(Markdown.Link::target)
        .containsExactly("https://example.org/b");
  }

  @Test
  void headingsGetGitHubsAnchors() {
    assertThat(Markdown.slug("Sign-ins from blocked addresses: provider `entra-named-location`"))
        .isEqualTo("sign-ins-from-blocked-addresses-provider-entra-named-location");
    assertThat(Markdown.slug("Long work (jobs)")).isEqualTo("long-work-jobs");
    assertThat(Markdown.slug("422 `not-configured`")).isEqualTo("422-not-configured");
    assertThat(new Markdown("# A\n\n```sh\n# not a heading\n```\n## A\n").anchors())
        .containsExactly("a", "a-1");
  }

  /** Why a relative link from {@code page} does not resolve; empty when it does. */
  private Optional<String> problem(Path page, String target) {
    int hash = target.indexOf('#');
    String path = hash < 0 ? target : target.substring(0, hash);
    String fragment = hash < 0 ? null : target.substring(hash + 1);
    Path file =
        path.isEmpty()
            ? page
            : page.getParent()
                .resolve(URLDecoder.decode(path, StandardCharsets.UTF_8))
                .toAbsolutePath()
                .normalize();
    if (!file.startsWith(REPOSITORY)) {
      return Optional.of("outside the repository");
    }
    if (!Files.exists(file)) {
      return Optional.of("no such file");
    }
    if (fragment != null
        && file.toString().endsWith(".md")
        && !anchorsOf(file).contains(fragment)) {
      return Optional.of("no heading or anchor #" + fragment);
    }
    return Optional.empty();
  }

  private Set<String> anchorsOf(Path file) {
    return anchors.computeIfAbsent(file, f -> markdown(f).anchors());
  }

  static List<Path> pages() {
    List<Path> pages = new ArrayList<>();
    pages.add(REPOSITORY.resolve("README.md"));
    pages.add(REPOSITORY.resolve("arm/README.md"));
    try (Stream<Path> docs = Files.walk(REPOSITORY.resolve("docs"))) {
      docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(pages::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return pages;
  }

  static Markdown markdown(Path page) {
    try {
      return new Markdown(Files.readString(page));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String where(Path page, Markdown.Link link) {
    return REPOSITORY.relativize(page) + ":" + link.line();
  }
}
