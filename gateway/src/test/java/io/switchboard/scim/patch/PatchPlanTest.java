package io.switchboard.scim.patch;

import static io.switchboard.scim.ScimAssertions.assertScimError;
import static io.switchboard.scim.ScimAssertions.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.scim.ServiceLimits;
import io.switchboard.scim.resource.MemberRef;
import io.switchboard.scim.resource.MemberType;
import io.switchboard.scim.schema.ResourceType;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PatchPlanTest {

  static PatchPlan plan(String operations, ResourceType type) {
    return PatchPlan.split(
        PatchRequest.parse(
                json(
                    "{'schemas':['urn:ietf:params:scim:api:messages:2.0:PatchOp'],'Operations':"
                        + operations
                        + "}"),
                ServiceLimits.DEFAULT)
            .operations(),
        type);
  }

  static PatchPlan group(String operations) {
    return plan(operations, ResourceType.GROUP);
  }

  @Test
  @DisplayName("Entra's Add members becomes an Add with the listed members")
  void entraAdd() {
    PatchPlan p = group("[{'op':'Add','path':'members','value':[{'value':'u1'},{'value':'u2'}]}]");
    assertThat(p.documentOperations()).isEmpty();
    assertThat(p.memberChanges())
        .containsExactly(new MemberChange.Add(List.of(MemberRef.user("u1"), MemberRef.user("u2"))));
  }

  @Test
  @DisplayName("Entra's Remove members with a value list removes only those members")
  void entraRemoveWithValue() {
    PatchPlan p = group("[{'op':'Remove','path':'members','value':[{'value':'u1'}]}]");
    assertThat(p.memberChanges()).containsExactly(new MemberChange.Remove(List.of("u1")));
  }

  @Test
  @DisplayName("remove members[value eq \"id\"] removes that member (aadOptscim062020 form)")
  void filteredRemove() {
    PatchPlan p = group("[{'op':'remove','path':'members[value eq \\'u1\\']'}]");
    assertThat(p.memberChanges()).containsExactly(new MemberChange.Remove(List.of("u1")));
  }

  @Test
  @DisplayName("remove with an or of member ids removes each of them")
  void filteredRemoveOr() {
    PatchPlan p =
        group("[{'op':'remove','path':'members[value eq \\'u1\\' or value eq \\'u2\\']'}]");
    assertThat(p.memberChanges()).containsExactly(new MemberChange.Remove(List.of("u1", "u2")));
  }

  @Test
  @DisplayName("remove members without a value empties the group")
  void removeAll() {
    PatchPlan p = group("[{'op':'remove','path':'members'}]");
    assertThat(p.memberChanges()).containsExactly(new MemberChange.RemoveAll());
  }

  @Test
  @DisplayName("Okta's full push replaces members, an empty list included")
  void replaceAll() {
    assertThat(
            group("[{'op':'replace','path':'members','value':[{'value':'u1','type':'User'}]}]")
                .memberChanges())
        .containsExactly(new MemberChange.ReplaceAll(List.of(MemberRef.user("u1"))));
    assertThat(group("[{'op':'replace','path':'members','value':[]}]").memberChanges())
        .containsExactly(new MemberChange.ReplaceAll(List.of()));
  }

  @Test
  @DisplayName("Okta's rename plus membership in one PATCH: document and member parts apart")
  void oktaMixed() {
    PatchPlan p =
        group(
            """
            [{'op':'replace','value':{'id':'g1','displayName':'New name'}},
             {'op':'add','path':'members','value':[{'value':'u3','display':'U3'}]},
             {'op':'remove','path':'members[value eq \\'u1\\']'}]
            """);
    assertThat(p.documentOperations()).hasSize(1);
    assertThat(p.memberChanges())
        .containsExactly(
            new MemberChange.Add(List.of(MemberRef.user("u3"))),
            new MemberChange.Remove(List.of("u1")));
  }

  @Test
  @DisplayName(
      "A path-less add or replace with a members key is split; the rest stays a document op")
  void pathlessMembers() {
    PatchPlan p =
        group(
            "[{'op':'replace','value':{'displayName':'G','members':[{'value':'g9','type':'Group'}]}},"
                + "{'op':'add','value':{'members':[{'value':'u5'}]}}]");
    assertThat(p.memberChanges())
        .containsExactly(
            new MemberChange.ReplaceAll(List.of(new MemberRef("g9", MemberType.GROUP))),
            new MemberChange.Add(List.of(MemberRef.user("u5"))));
    assertThat(p.documentOperations()).hasSize(1);
    assertThat(p.documentOperations().get(0).value().has("members")).isFalse();
    assertThat(p.documentOperations().get(0).value().get("displayName").asText()).isEqualTo("G");
  }

  @Test
  @DisplayName("Member paths name members case-insensitively and with the Group URN")
  void caseAndUrn() {
    assertThat(group("[{'op':'add','path':'Members','value':[{'value':'u1'}]}]").memberChanges())
        .hasSize(1);
    assertThat(
            group(
                    "[{'op':'add','path':'urn:ietf:params:scim:schemas:core:2.0:Group:members',"
                        + "'value':[{'value':'u1'}]}]")
                .memberChanges())
        .hasSize(1);
  }

  @Test
  @DisplayName(
      "Member filters other than by id are invalidFilter, and add with a filter invalidPath")
  void unsupportedMemberForms() {
    assertScimError(
        () -> group("[{'op':'remove','path':'members[type eq \\'User\\']'}]"),
        400,
        "invalidFilter");
    assertScimError(
        () -> group("[{'op':'add','path':'members[value eq \\'u\\']','value':[{'value':'u'}]}]"),
        400,
        "invalidPath");
    assertScimError(
        () -> group("[{'op':'replace','path':'members.display','value':'x'}]"), 400, "mutability");
  }

  @Test
  @DisplayName("A member without a value is invalidValue")
  void badMember() {
    assertScimError(
        () -> group("[{'op':'add','path':'members','value':[{'display':'x'}]}]"),
        400,
        "invalidValue");
  }

  @Test
  @DisplayName("For users every operation stays a document operation")
  void usersUntouched() {
    PatchPlan p =
        plan("[{'op':'add','path':'members','value':[{'value':'u'}]}]", ResourceType.USER);
    assertThat(p.documentOperations()).hasSize(1);
    assertThat(p.memberChanges()).isEmpty();
  }
}
