package com.socactions.localhost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class RouteTemplateTest {

  private static Map<String, String> match(String template, String path) {
    return RouteTemplate.parse(template).match(path).orElse(null);
  }

  @Test
  void literalSegmentsMatchCaseInsensitivelyAndIgnoreATrailingSlash() {
    assertThat(match("v1/health", "V1/Health/")).isEmpty();
    assertThat(match("v1/health", "v1/healthz")).isNull();
    assertThat(match("v1/health", "v1")).isNull();
    assertThat(match("v1/health", "v1/health/more")).isNull();
  }

  @Test
  void parameterValuesArePercentDecodedAndNamesAreCaseInsensitive() {
    Map<String, String> values = match("users/{Name}", "users/J%C3%BCrgen%20M+ller");
    assertThat(values.get("name")).isEqualTo("Jürgen M+ller");
  }

  @Test
  void constraintsRestrictWhatAParameterAccepts() {
    assertThat(match("x/{id:int}", "x/42")).containsEntry("id", "42");
    assertThat(match("x/{id:int}", "x/abc")).isNull();
    assertThat(match("x/{id:int}", "x/99999999999")).isNull();
    assertThat(match("x/{id:long}", "x/99999999999")).containsEntry("id", "99999999999");
    assertThat(match("x/{v:alpha}", "x/abcXYZ")).isNotNull();
    assertThat(match("x/{v:alpha}", "x/abc1")).isNull();
    assertThat(match("x/{v:guid}", "x/3f2504e0-4f89-11d3-9a0c-0305e82c3301")).isNotNull();
    assertThat(match("x/{v:guid}", "x/not-a-guid")).isNull();
    assertThat(match("x/{v:bool}", "x/True")).isNotNull();
    assertThat(match("x/{v:bool}", "x/yes")).isNull();
    assertThat(match("x/{v:int:min(1)}", "x/5")).as("unknown constraints are ignored").isNotNull();
  }

  @Test
  void anOptionalLastParameterMayBeMissing() {
    assertThat(match("a/{b?}", "a")).isEmpty();
    assertThat(match("a/{b?}", "a/x")).containsEntry("b", "x");
    assertThat(match("a/{b?}", "a/x/y")).isNull();
  }

  @Test
  void anEncodedSlashStaysEncodedInAValueAsKestrelLeavesIt() {
    assertThat(match("v1/enrich/ips/{ip}", "v1/enrich/ips/a%2Fb")).containsEntry("ip", "a%2Fb");
    assertThat(match("v1/enrich/ips/{ip}", "v1/enrich/ips/a%2fb%20c"))
        .containsEntry("ip", "a%2fb c");
    assertThat(match("files/{*rest}", "files/a%2Fb/c")).containsEntry("rest", "a%2Fb/c");
  }

  @Test
  void aCatchAllTakesTheRestOfThePathIncludingNothing() {
    assertThat(match("files/{*rest}", "files/a/b%20c/d.txt")).containsEntry("rest", "a/b c/d.txt");
    assertThat(match("files/{*rest}", "files")).isEmpty();
    assertThat(match("{*path}", "")).isEmpty();
    assertThat(match("{**path}", "x/y")).containsEntry("path", "x/y");
  }

  @Test
  void literalsBeatConstrainedParametersWhichBeatPlainParametersWhichBeatCatchAlls() {
    List<String> sorted =
        Stream.of("{*path}", "items/{name}", "items/{*rest}", "items/new", "items/{id:int}")
            .map(RouteTemplate::parse)
            .sorted(RouteTemplate.PRECEDENCE)
            .map(RouteTemplate::template)
            .toList();
    assertThat(sorted)
        .containsExactly("items/new", "items/{id:int}", "items/{name}", "items/{*rest}", "{*path}");
  }

  @Test
  void malformedTemplatesAreRejected() {
    assertThatThrownBy(() -> RouteTemplate.parse("{*rest}/more"))
        .hasMessageContaining("last segment");
    assertThatThrownBy(() -> RouteTemplate.parse("a/{b?}/c")).hasMessageContaining("last segment");
    assertThatThrownBy(() -> RouteTemplate.parse("a//b")).hasMessageContaining("empty segment");
    assertThatThrownBy(() -> RouteTemplate.parse("file.{ext}")).hasMessageContaining("mixes");
  }
}
