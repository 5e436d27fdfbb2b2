package io.switchboard.scim.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.scim.ScimException;
import io.switchboard.scim.filter.Filter;
import io.switchboard.scim.filter.Operator;
import io.switchboard.scim.resource.MemberRef;
import io.switchboard.scim.resource.ResourceValidator;
import io.switchboard.scim.schema.ResourceType;
import io.switchboard.scim.schema.SchemaUrns;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Splits a group PATCH into operations on the group document and changes to its membership, which
 * live in their own table. Understands every membership form IdPs send:
 *
 * <ul>
 *   <li>{@code add members [..]} → {@link MemberChange.Add}
 *   <li>{@code remove members[value eq "id"]} (or an {@code or} of such) → {@link
 *       MemberChange.Remove}
 *   <li>{@code remove members} with a value list (Entra) → {@link MemberChange.Remove}; without a
 *       value → {@link MemberChange.RemoveAll}
 *   <li>{@code replace members [..]} → {@link MemberChange.ReplaceAll}
 *   <li>path-less add/replace whose value has a {@code members} key → the same, split out
 * </ul>
 *
 * For users every operation stays a document operation.
 *
 * <p>Usage: {@code PatchPlan plan = PatchPlan.split(request.operations(), ResourceType.GROUP);}
 */
public final class PatchPlan {
  private final List<PatchOperation> documentOperations;
  private final List<MemberChange> memberChanges;

  private PatchPlan(List<PatchOperation> documentOperations, List<MemberChange> memberChanges) {
    this.documentOperations = List.copyOf(documentOperations);
    this.memberChanges = List.copyOf(memberChanges);
  }

  public List<PatchOperation> documentOperations() {
    return documentOperations;
  }

  /** In request order; apply them in this order. */
  public List<MemberChange> memberChanges() {
    return memberChanges;
  }

  public static PatchPlan split(List<PatchOperation> operations, ResourceType type) {
    List<PatchOperation> doc = new ArrayList<>();
    List<MemberChange> members = new ArrayList<>();
    for (PatchOperation op : operations) {
      if (type != ResourceType.GROUP) {
        doc.add(op);
        continue;
      }
      if (op.path().isEmpty()) {
        splitPathless(op, doc, members);
      } else if (isMembersPath(op.path().get())) {
        members.addAll(memberChange(op, op.path().get()));
      } else {
        doc.add(op);
      }
    }
    return new PatchPlan(doc, members);
  }

  private static boolean isMembersPath(PatchPath p) {
    if (p.attribute() == null || !p.attribute().equalsIgnoreCase("members")) {
      return false;
    }
    return p.schemaUrn() == null || p.schemaUrn().equalsIgnoreCase(SchemaUrns.GROUP);
  }

  private static void splitPathless(
      PatchOperation op, List<PatchOperation> doc, List<MemberChange> members) {
    ObjectNode value = (ObjectNode) op.value();
    ObjectNode rest = value.deepCopy();
    boolean found = false;
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      boolean isMembers =
          key.equalsIgnoreCase("members") || key.equalsIgnoreCase(SchemaUrns.GROUP + ":members");
      if (!isMembers) {
        continue;
      }
      found = true;
      rest.remove(key);
      List<MemberRef> refs = ResourceValidator.members(e.getValue());
      if (op.op() == PatchOperation.Op.REPLACE) {
        members.add(new MemberChange.ReplaceAll(refs));
      } else if (!refs.isEmpty()) {
        members.add(new MemberChange.Add(refs));
      }
    }
    if (!found) {
      doc.add(op);
    } else if (hasAttributes(rest)) {
      doc.add(new PatchOperation(op.op(), op.path(), rest));
    }
  }

  private static boolean hasAttributes(ObjectNode rest) {
    for (Iterator<String> it = rest.fieldNames(); it.hasNext(); ) {
      if (!it.next().equalsIgnoreCase("schemas")) {
        return true;
      }
    }
    return false;
  }

  private static List<MemberChange> memberChange(PatchOperation op, PatchPath path) {
    if (path.subAttribute() != null) {
      throw ScimException.mutability(
          "Members are changed whole: add, remove or replace 'members', not '"
              + path.subAttribute()
              + "'.");
    }
    if (path.valueFilter() != null) {
      List<String> ids = memberIds(path.valueFilter());
      return switch (op.op()) {
        case REMOVE -> List.of(new MemberChange.Remove(ids));
        case REPLACE -> {
          // Replacing selected members: out with the selected, in with the value.
          List<MemberRef> refs = ResourceValidator.members(op.value());
          yield refs.isEmpty()
              ? List.of(new MemberChange.Remove(ids))
              : List.of(new MemberChange.Remove(ids), new MemberChange.Add(refs));
        }
        case ADD ->
            throw ScimException.invalidPath(
                "add takes 'members', not a filtered path; the filter selects existing members.");
      };
    }
    return switch (op.op()) {
      case ADD -> {
        List<MemberRef> refs = ResourceValidator.members(op.value());
        yield refs.isEmpty() ? List.of() : List.of(new MemberChange.Add(refs));
      }
      case REPLACE -> List.of(new MemberChange.ReplaceAll(ResourceValidator.members(op.value())));
      case REMOVE -> {
        if (!op.hasValue()) {
          yield List.of(new MemberChange.RemoveAll());
        }
        // Entra: {"op":"Remove","path":"members","value":[{"value":"id"}]} removes only those.
        List<String> ids = new ArrayList<>();
        for (MemberRef r : ResourceValidator.members(op.value())) {
          ids.add(r.value());
        }
        yield ids.isEmpty() ? List.of() : List.of(new MemberChange.Remove(ids));
      }
    };
  }

  /** {@code value eq "a"}, or an {@code or} of them: the ids the filter selects. */
  private static List<String> memberIds(Filter f) {
    List<String> out = new ArrayList<>();
    collectIds(f, out);
    return out;
  }

  private static void collectIds(Filter f, List<String> out) {
    if (f instanceof Filter.Or or) {
      collectIds(or.left(), out);
      collectIds(or.right(), out);
      return;
    }
    if (f instanceof Filter.And and) {
      // members[value eq "x" and type eq "User"]: the value pins the member.
      int before = out.size();
      for (Filter c : and.conjuncts()) {
        if (isValueEq(c)) {
          out.add(((Filter.Comparison) c).literal().asText());
          break;
        }
      }
      if (out.size() > before) {
        return;
      }
    }
    if (isValueEq(f)) {
      out.add(((Filter.Comparison) f).literal().asText());
      return;
    }
    throw ScimException.invalidFilter(
        "Members are selected by id only: members[value eq \"id\"], optionally joined with or.");
  }

  private static boolean isValueEq(Filter f) {
    return f instanceof Filter.Comparison c
        && c.op() == Operator.EQ
        && c.path().attribute().equalsIgnoreCase("value")
        && c.path().subAttribute() == null
        && c.literal() != null
        && !c.literal().isNull();
  }
}
