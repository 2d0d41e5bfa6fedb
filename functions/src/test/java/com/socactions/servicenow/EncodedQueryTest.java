package com.socactions.servicenow;

import static com.socactions.servicenow.EncodedQuery.anyFieldIn;
import static com.socactions.servicenow.EncodedQuery.equalTo;
import static com.socactions.servicenow.EncodedQuery.in;
import static com.socactions.servicenow.EncodedQuery.notEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EncodedQueryTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> KEY_FIELDS = List.of("ip_address", "name", "fqdn");

  /**
   * Keys that try to change the query: each must match at most the record named exactly like it.
   */
  private static final List<String> HOSTILE =
      List.of(
          "nobody^ORsys_idISNOTEMPTY",
          "nobody^NQsys_idISNOTEMPTY",
          "nobody^ORDERBYname",
          "nobody^EQ",
          "web01,db01",
          "",
          " web01",
          "web01 ",
          "nobody\nsys_idISNOTEMPTY",
          "nobody\r\n^ORname=db01",
          "javascript:gs.getUserID()",
          "JavaScript :true",
          "STANCEOFcmdb_ci",
          "=web01",
          "name=web01",
          "!=x",
          "<x",
          "nobody&sysparm_query=sys_idISNOTEMPTY",
          "nobody%5EORsys_idISNOTEMPTY",
          "a,b");

  private static ObjectNode ci(String name, String ip, String fqdn) {
    ObjectNode record = JSON.createObjectNode();
    record.put("sys_id", Integer.toHexString((name + ip).hashCode()));
    record.put("sys_class_name", "cmdb_ci_server");
    record.put("name", name);
    record.put("ip_address", ip);
    record.put("fqdn", fqdn);
    return record;
  }

  private static final List<ObjectNode> CMDB =
      List.of(
          ci("web01", "10.0.0.1", "web01.contoso.com"),
          ci("db01", "10.0.0.2", "db01.contoso.com"),
          ci("a", "10.0.0.3", ""),
          ci("b", "10.0.0.4", ""),
          ci("a,b", "10.0.0.5", ""),
          ci("", "10.0.0.6", ""),
          ci("%5EORsys_id", "10.0.0.7", ""));

  private static Set<String> names(EncodedQuery query) {
    return CMDB.stream()
        .filter(r -> FakeServiceNow.matches(query.encoded(), r))
        .map(r -> r.path("name").asText())
        .collect(Collectors.toSet());
  }

  @Test
  void aBatchLookupIsOneQueryOfInListsJoinedByOr() {
    EncodedQuery query = anyFieldIn(KEY_FIELDS, List.of("10.0.0.1", "db01"));

    assertThat(query.encoded())
        .isEqualTo("ip_addressIN10.0.0.1,db01^ORnameIN10.0.0.1,db01^ORfqdnIN10.0.0.1,db01");
    assertThat(names(query)).containsExactlyInAnyOrder("web01", "db01");
  }

  @Test
  void noHostileKeyWidensOrAltersALookup() {
    for (String key : HOSTILE) {
      Set<String> expected =
          CMDB.stream()
              .map(r -> r.path("name").asText())
              .filter(name -> !name.isEmpty() && name.equals(key))
              .collect(Collectors.toSet());
      assertThat(names(anyFieldIn(KEY_FIELDS, List.of(key)))).as("key %s", key).isEqualTo(expected);
      assertThat(names(anyFieldIn(KEY_FIELDS, List.of(key, "db01"))))
          .as("key %s beside db01", key)
          .isEqualTo(union(expected, "db01"));
    }
  }

  @Test
  void aKeyWithACommaIsComparedWholeNotSplitIntoAnInList() {
    EncodedQuery query = anyFieldIn(List.of("name"), List.of("a,b", "web01"));

    assertThat(query.encoded()).isEqualTo("nameINweb01^ORname=a,b");
    assertThat(names(query)).containsExactlyInAnyOrder("a,b", "web01");
  }

  @Test
  void aLookupOfOnlyInexpressibleKeysMatchesNothingAndIsNotSent() {
    EncodedQuery query =
        anyFieldIn(KEY_FIELDS, List.of("x^ORsys_idISNOTEMPTY", "", "javascript:1"));

    assertThat(query.matchesNothing()).isTrue();
    assertThat(names(query)).isEmpty();
  }

  @Test
  void anInexpressibleNotEqualNarrowsTheQueryInsteadOfDroppingTheRestriction() {
    EncodedQuery query =
        EncodedQuery.where(equalTo("fqdn", "web01.contoso.com"))
            .and(notEqualTo("name", "x^NQsys_idISNOTEMPTY"))
            .newQuery(equalTo("name", "db01"));

    assertThat(query.encoded()).isEqualTo("name=db01");
    assertThat(names(query)).containsExactly("db01");
  }

  @Test
  void clausesGroupsAndOrderAreWrittenAsServiceNowReadsThem() {
    EncodedQuery query =
        EncodedQuery.where(in("name", List.of("web01", "db01")))
            .and(equalTo("ip_address", "10.0.0.1"))
            .or(EncodedQuery.startsWith("fqdn", "db01."))
            .newQuery(EncodedQuery.isEmpty("name"))
            .orderBy("name");

    assertThat(query.encoded())
        .isEqualTo(
            "nameINweb01,db01^ip_address=10.0.0.1^ORfqdnSTARTSWITHdb01.^NQnameISEMPTY^ORDERBYname");
    assertThat(names(query)).containsExactlyInAnyOrder("web01", "db01", "");
  }

  @Test
  void endsWithMatchesTheEndOfAFieldWithoutCaseAndHostileSuffixesMatchNothing() {
    EncodedQuery query =
        EncodedQuery.where(EncodedQuery.endsWith("fqdn", ".CONTOSO.com"))
            .or(EncodedQuery.endsWith("name", ".contoso.com^ORsys_idISNOTEMPTY"));

    assertThat(query.encoded()).isEqualTo("fqdnENDSWITH.CONTOSO.com");
    assertThat(names(query)).containsExactlyInAnyOrder("web01", "db01");
    assertThat(EncodedQuery.where(EncodedQuery.endsWith("fqdn", "javascript:1")).matchesNothing())
        .isTrue();
  }

  @Test
  void aKeysetConditionIsWrittenAsTheInstanceReadsItAndAHostileKeyMatchesNothing() {
    EncodedQuery query =
        EncodedQuery.where(EncodedQuery.greaterThan("sys_updated_on", "2026-03-01 12:00:00"))
            .newQuery(equalTo("sys_updated_on", "2026-03-01 12:00:00"))
            .and(EncodedQuery.greaterThan("sys_id", "a1"))
            .orderBy("sys_updated_on")
            .orderBy("sys_id");

    assertThat(query.encoded())
        .isEqualTo(
            "sys_updated_on>2026-03-01 12:00:00^NQsys_updated_on=2026-03-01 12:00:00^sys_id>a1"
                + "^ORDERBYsys_updated_on^ORDERBYsys_id");
    for (String hostile : List.of("=a1", "a1^NQsys_idISNOTEMPTY", "", "javascript:1")) {
      assertThat(EncodedQuery.where(EncodedQuery.greaterThan("sys_id", hostile)).matchesNothing())
          .as(hostile)
          .isTrue();
    }
  }

  @Test
  void aFieldNameThatIsNotAColumnIsAProgrammingError() {
    assertThatThrownBy(() -> equalTo("name^ORsys_id", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> equalTo("Name", "x")).isInstanceOf(IllegalArgumentException.class);
  }

  private static Set<String> union(Set<String> names, String name) {
    Set<String> all = new HashSet<>(names);
    all.add(name.toLowerCase(Locale.ROOT));
    return all;
  }
}
