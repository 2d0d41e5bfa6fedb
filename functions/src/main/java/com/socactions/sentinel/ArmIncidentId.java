package com.socactions.sentinel;

import com.socactions.platform.InvalidInputException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * The Azure Resource Manager id of one Microsoft Sentinel incident: {@code
 * /subscriptions/{guid}/resourceGroups/{rg}/providers/Microsoft.OperationalInsights/workspaces/{ws}/providers/Microsoft.SecurityInsights/incidents/{id}},
 * as the incident trigger and the REST API give it ({@code object.id}, {@code id}).
 *
 * <p>Why so strict: the id becomes the path of a call that carries the app's management token, so
 * nothing in it may reach another resource. The fixed segments match in any case (Sentinel itself
 * writes {@code Incidents} at times); the variable ones follow Azure's naming rules, which admit no
 * {@code /}, {@code %}, {@code ?}, {@code #}, {@code \} or whitespace, and no {@code .} or {@code
 * ..} as a whole segment. Surrounding whitespace is dropped; anything else that does not fit (extra
 * or missing segments, a trailing slash, a full URL) is refused.
 *
 * @param subscriptionId the subscription's GUID, in the case given
 * @param resourceGroup the resource group name (1-90 letters, digits, {@code _-.()}; not ending in
 *     {@code .})
 * @param workspaceName the Log Analytics workspace name (4-63 letters, digits and inner hyphens)
 * @param incidentName the incident's name, usually a GUID (letters, digits, {@code _-.}; at most
 *     256; not starting or ending in {@code .})
 */
public record ArmIncidentId(
    String subscriptionId, String resourceGroup, String workspaceName, String incidentName) {
  /** The input field named in every refusal. */
  public static final String FIELD = "incident_id";

  private static final Pattern GUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Pattern RESOURCE_GROUP =
      Pattern.compile("[\\p{L}\\p{N}_().-]{0,89}[\\p{L}\\p{N}_()-]");
  private static final Pattern WORKSPACE =
      Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{2,61}[A-Za-z0-9]");
  private static final Pattern INCIDENT =
      Pattern.compile("[A-Za-z0-9_-]([A-Za-z0-9_.-]{0,254}[A-Za-z0-9_-])?");
  private static final String EXAMPLE =
      "/subscriptions/{guid}/resourceGroups/{rg}/providers/"
          + "Microsoft.OperationalInsights/workspaces/{workspace}/providers/Microsoft.SecurityInsights/incidents/{id}";

  /** The fixed segments in their canonical case, by position; null where a name goes. */
  private static final List<String> SHAPE =
      Arrays.asList(
          "subscriptions",
          null,
          "resourceGroups",
          null,
          "providers",
          "Microsoft.OperationalInsights",
          "workspaces",
          null,
          "providers",
          "Microsoft.SecurityInsights",
          "incidents",
          null);

  /**
   * Checks every part.
   *
   * @throws InvalidInputException naming {@link #FIELD} when a part breaks Azure's naming rules
   */
  public ArmIncidentId {
    check(subscriptionId, GUID, "subscription id");
    check(resourceGroup, RESOURCE_GROUP, "resource group");
    check(workspaceName, WORKSPACE, "workspace name");
    check(incidentName, INCIDENT, "incident name");
  }

  /**
   * Reads an incident's ARM id.
   *
   * @throws InvalidInputException naming {@link #FIELD} when {@code text} is not exactly such an id
   */
  public static ArmIncidentId parse(String text) {
    if (text == null || text.isBlank()) {
      throw invalid("is required: the incident's ARM id, " + EXAMPLE);
    }
    String trimmed = text.strip();
    if (!trimmed.startsWith("/")) {
      throw invalid("must be an ARM id starting with /subscriptions/: " + EXAMPLE);
    }
    // -1 keeps trailing empty segments, so "/.../incidents/{id}/" is refused rather than tidied.
    String[] segments = trimmed.substring(1).split("/", -1);
    if (segments.length != SHAPE.size()) {
      throw invalid("must have exactly the segments of " + EXAMPLE + ", not " + segments.length);
    }
    for (int i = 0; i < SHAPE.size(); i++) {
      String fixed = SHAPE.get(i);
      if (fixed != null && !fixed.equalsIgnoreCase(segments[i])) {
        throw invalid("must read '" + fixed + "' at segment " + (i + 1) + ": " + EXAMPLE);
      }
    }
    return new ArmIncidentId(segments[1], segments[3], segments[7], segments[11]);
  }

  /**
   * The id with the fixed segments in their canonical case, unencoded (names admit nothing to
   * encode but letters).
   */
  public String resourceId() {
    return "/" + String.join("/", segments());
  }

  /** The id as a URL path, each segment percent-encoded, ready to append to the management URL. */
  public String path() {
    HttpUrl.Builder url = new HttpUrl.Builder().scheme("https").host("management.invalid");
    segments().forEach(url::addPathSegment);
    return url.build().encodedPath();
  }

  /** The segments in order, canonical case, unencoded. */
  List<String> segments() {
    List<String> names = List.of(subscriptionId, resourceGroup, workspaceName, incidentName);
    String[] segments = new String[SHAPE.size()];
    int name = 0;
    for (int i = 0; i < segments.length; i++) {
      segments[i] = SHAPE.get(i) != null ? SHAPE.get(i) : names.get(name++);
    }
    return List.of(segments);
  }

  @Override
  public String toString() {
    return resourceId();
  }

  private static void check(String value, Pattern pattern, String what) {
    if (value == null || !pattern.matcher(value).matches()) {
      throw invalid("has no valid " + what + ": " + EXAMPLE);
    }
  }

  private static InvalidInputException invalid(String message) {
    return InvalidInputException.of(FIELD, message);
  }
}
