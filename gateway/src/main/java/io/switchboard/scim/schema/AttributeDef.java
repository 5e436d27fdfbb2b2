package io.switchboard.scim.schema;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One attribute definition of a schema (RFC 7643 §7), with its characteristics.
 *
 * <p>Usage: {@code
 * registry.core(ResourceType.USER).attribute("emails").orElseThrow().multiValued()}
 */
public record AttributeDef(
    String name,
    Type type,
    boolean multiValued,
    boolean required,
    boolean caseExact,
    Mutability mutability,
    Returned returned,
    Uniqueness uniqueness,
    List<AttributeDef> subAttributes,
    List<String> canonicalValues,
    List<String> referenceTypes,
    String description) {

  public AttributeDef {
    subAttributes = List.copyOf(subAttributes);
    canonicalValues = List.copyOf(canonicalValues);
    referenceTypes = List.copyOf(referenceTypes);
  }

  /** RFC 7643 §2.3 data types. */
  public enum Type {
    STRING("string"),
    BOOLEAN("boolean"),
    DECIMAL("decimal"),
    INTEGER("integer"),
    DATE_TIME("dateTime"),
    BINARY("binary"),
    REFERENCE("reference"),
    COMPLEX("complex");

    private final String keyword;

    Type(String keyword) {
      this.keyword = keyword;
    }

    public String keyword() {
      return keyword;
    }
  }

  /** RFC 7643 §7 mutability. */
  public enum Mutability {
    READ_ONLY("readOnly"),
    READ_WRITE("readWrite"),
    IMMUTABLE("immutable"),
    WRITE_ONLY("writeOnly");

    private final String keyword;

    Mutability(String keyword) {
      this.keyword = keyword;
    }

    public String keyword() {
      return keyword;
    }
  }

  /** RFC 7643 §7 returned. */
  public enum Returned {
    ALWAYS("always"),
    NEVER("never"),
    DEFAULT("default"),
    REQUEST("request");

    private final String keyword;

    Returned(String keyword) {
      this.keyword = keyword;
    }

    public String keyword() {
      return keyword;
    }
  }

  /** RFC 7643 §7 uniqueness. */
  public enum Uniqueness {
    NONE("none"),
    SERVER("server"),
    GLOBAL("global");

    private final String keyword;

    Uniqueness(String keyword) {
      this.keyword = keyword;
    }

    public String keyword() {
      return keyword;
    }
  }

  public boolean isComplex() {
    return type == Type.COMPLEX;
  }

  public boolean isReadOnly() {
    return mutability == Mutability.READ_ONLY;
  }

  /** A sub-attribute by name, case-insensitively (RFC 7643 §2.1). */
  public Optional<AttributeDef> subAttribute(String name) {
    if (name == null) {
      return Optional.empty();
    }
    for (AttributeDef s : subAttributes) {
      if (s.name.equalsIgnoreCase(name)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return "AttributeDef[" + name + " " + type.keyword() + (multiValued ? "[]" : "") + "]";
  }

  static Builder builder(String name, Type type) {
    return new Builder(name, type);
  }

  /** Terse construction for the standard schemas. */
  static final class Builder {
    private final String name;
    private final Type type;
    private boolean multiValued;
    private boolean required;
    private boolean caseExact;
    private Mutability mutability = Mutability.READ_WRITE;
    private Returned returned = Returned.DEFAULT;
    private Uniqueness uniqueness = Uniqueness.NONE;
    private List<AttributeDef> subAttributes = List.of();
    private List<String> canonicalValues = List.of();
    private List<String> referenceTypes = List.of();
    private String description = "";

    private Builder(String name, Type type) {
      this.name = name;
      this.type = type;
      // RFC 7643 §2.3.7: references are case exact.
      this.caseExact = type == Type.REFERENCE || type == Type.BINARY;
    }

    Builder multiValued() {
      this.multiValued = true;
      return this;
    }

    Builder required() {
      this.required = true;
      return this;
    }

    Builder caseExact() {
      this.caseExact = true;
      return this;
    }

    Builder mutability(Mutability m) {
      this.mutability = m;
      return this;
    }

    Builder readOnly() {
      return mutability(Mutability.READ_ONLY);
    }

    Builder immutable() {
      return mutability(Mutability.IMMUTABLE);
    }

    Builder returned(Returned r) {
      this.returned = r;
      return this;
    }

    Builder uniqueness(Uniqueness u) {
      this.uniqueness = u;
      return this;
    }

    Builder sub(AttributeDef... subs) {
      this.subAttributes = List.of(subs);
      return this;
    }

    Builder canonical(String... values) {
      this.canonicalValues = List.of(values);
      return this;
    }

    Builder referenceTypes(String... types) {
      this.referenceTypes = List.of(types);
      return this;
    }

    Builder description(String d) {
      this.description = d;
      return this;
    }

    AttributeDef build() {
      return new AttributeDef(
          name,
          type,
          multiValued,
          required,
          caseExact,
          mutability,
          returned,
          uniqueness,
          subAttributes,
          canonicalValues,
          referenceTypes,
          description.isEmpty() ? describe() : description);
    }

    private String describe() {
      return name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1) + ".";
    }
  }
}
