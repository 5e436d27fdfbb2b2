package io.switchboard.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.scim.patch.MemberChange;
import io.switchboard.scim.patch.PatchEngine;
import io.switchboard.scim.patch.PatchPlan;
import io.switchboard.scim.patch.PatchRequest;
import io.switchboard.scim.resource.MemberRef;
import io.switchboard.scim.resource.ResourceValidator;
import io.switchboard.scim.resource.ValidatedResource;
import io.switchboard.scim.schema.ResourceType;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays recorded request sequences of each IdP dialect (src/test/resources/scim/idp) through the
 * validator and the PATCH pipeline, carrying the document and a simulated membership from step to
 * step, and checks what each step leaves behind.
 *
 * <p>A step: {@code resourceType} (starts a new resource, with a POST), {@code request} (POST, PUT,
 * PATCH), {@code body}, optional {@code expect} (JSON pointer → value, null meaning absent),
 * optional {@code members} (ids after the step; on a POST, null means the body named none) and
 * optional {@code error} (the expected scimType; the state must not change).
 */
class IdpDialectReplayTest {
  static final String ID = "ID";

  @ParameterizedTest(name = "{0}")
  @DisplayName("Recorded IdP request sequences leave the expected documents and memberships")
  @ValueSource(
      strings = {
        "entra-default.json",
        "entra-aadopt.json",
        "okta.json",
        "onelogin.json",
        "jumpcloud.json",
        "rippling.json",
        "rejected.json"
      })
  void replay(String file) throws IOException {
    JsonNode recording;
    try (InputStream in = getClass().getResourceAsStream("/scim/idp/" + file)) {
      assertThat(in).as(file).isNotNull();
      recording = ScimJson.parse(in.readAllBytes());
    }
    ResourceType type = null;
    ObjectNode document = null;
    Set<String> members = new LinkedHashSet<>();
    int n = 0;
    for (JsonNode step : recording.get("steps")) {
      n++;
      String where = file + " step " + n;
      if (step.has("resourceType")) {
        type = ResourceType.fromName(step.get("resourceType").asText()).orElseThrow();
        document = null;
        members = new LinkedHashSet<>();
      }
      String request = step.get("request").asText();
      JsonNode body = step.get("body");
      String error = step.has("error") ? step.get("error").asText() : null;
      try {
        switch (request) {
          case "POST", "PUT" -> {
            ValidatedResource v =
                request.equals("POST") || document == null
                    ? ResourceValidator.forCreate(body, type)
                    : ResourceValidator.forReplace(body, document, type);
            if (step.has("members") && step.get("members").isNull()) {
              assertThat(v.members()).as(where + " members").isEmpty();
            }
            if (v.members().isPresent()) {
              members = new LinkedHashSet<>();
              for (MemberRef m : v.members().get()) {
                members.add(m.value());
              }
            }
            document = v.document();
          }
          case "PATCH" -> {
            PatchPlan plan =
                PatchPlan.split(PatchRequest.parse(body, ServiceLimits.DEFAULT).operations(), type);
            ObjectNode next = PatchEngine.apply(document, plan.documentOperations(), type, ID);
            Set<String> nextMembers = new LinkedHashSet<>(members);
            for (MemberChange c : plan.memberChanges()) {
              apply(nextMembers, c);
            }
            document = next;
            members = nextMembers;
          }
          default -> fail(where + ": unknown request " + request);
        }
        if (error != null) {
          fail(where + ": expected " + error + " but the request succeeded");
        }
      } catch (ScimException e) {
        if (error == null) {
          throw new AssertionError(where + ": " + e.getMessage(), e);
        }
        assertThat(e.scimType().keyword()).as(where).isEqualTo(error);
      }
      if (step.has("expect")) {
        for (Iterator<Map.Entry<String, JsonNode>> it = step.get("expect").fields();
            it.hasNext(); ) {
          Map.Entry<String, JsonNode> x = it.next();
          JsonNode actual = document.at(x.getKey());
          if (x.getValue().isNull()) {
            assertThat(actual.isMissingNode())
                .as(where + " " + x.getKey() + " in " + document)
                .isTrue();
          } else {
            assertThat(actual)
                .as(where + " " + x.getKey() + " in " + document)
                .isEqualTo(x.getValue());
          }
        }
      }
      if (step.has("members") && step.get("members").isArray()) {
        List<String> expected = new ArrayList<>();
        step.get("members").forEach(m -> expected.add(m.asText()));
        assertThat(members).as(where + " members").containsExactlyElementsOf(expected);
      }
      assertThat(document.has("password")).as(where + " password").isFalse();
    }
  }

  private static void apply(Set<String> members, MemberChange c) {
    if (c instanceof MemberChange.Add a) {
      a.members().forEach(m -> members.add(m.value()));
    } else if (c instanceof MemberChange.Remove r) {
      r.ids().forEach(members::remove);
    } else if (c instanceof MemberChange.RemoveAll) {
      members.clear();
    } else if (c instanceof MemberChange.ReplaceAll r) {
      members.clear();
      r.members().forEach(m -> members.add(m.value()));
    }
  }
}
