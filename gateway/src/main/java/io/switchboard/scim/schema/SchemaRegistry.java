package io.switchboard.scim.schema;

import static io.switchboard.scim.schema.AttributeDef.Type.BINARY;
import static io.switchboard.scim.schema.AttributeDef.Type.BOOLEAN;
import static io.switchboard.scim.schema.AttributeDef.Type.COMPLEX;
import static io.switchboard.scim.schema.AttributeDef.Type.DATE_TIME;
import static io.switchboard.scim.schema.AttributeDef.Type.REFERENCE;
import static io.switchboard.scim.schema.AttributeDef.Type.STRING;

import io.switchboard.scim.schema.AttributeDef.Returned;
import io.switchboard.scim.schema.AttributeDef.Uniqueness;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The schemas the gateway serves: core User (RFC 7643 §4.1), the enterprise extension (§4.3) and
 * Group (§4.2), plus the common attributes {@code id}, {@code externalId} and {@code meta} (§3.1)
 * used when resolving paths.
 *
 * <p>Usage: {@code SchemaRegistry.standard().resolve(ResourceType.USER, null, "emails", "value")}
 */
public final class SchemaRegistry {
  private static final SchemaRegistry STANDARD = buildStandard();

  private final List<SchemaDef> schemas;
  private final Map<ResourceType, SchemaDef> cores;
  private final Map<ResourceType, List<SchemaDef>> extensions;
  private final List<AttributeDef> common;

  private SchemaRegistry(
      List<SchemaDef> schemas,
      Map<ResourceType, SchemaDef> cores,
      Map<ResourceType, List<SchemaDef>> extensions,
      List<AttributeDef> common) {
    this.schemas = List.copyOf(schemas);
    this.cores = Map.copyOf(cores);
    this.extensions = Map.copyOf(extensions);
    this.common = List.copyOf(common);
  }

  /** The standard registry: User + enterprise extension, Group. Immutable and shared. */
  public static SchemaRegistry standard() {
    return STANDARD;
  }

  /** Every schema, in the order /Schemas lists them. */
  public List<SchemaDef> schemas() {
    return schemas;
  }

  /** A schema by URN, case-insensitively. */
  public Optional<SchemaDef> schema(String urn) {
    if (urn == null) {
      return Optional.empty();
    }
    for (SchemaDef s : schemas) {
      if (s.id().equalsIgnoreCase(urn)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  public SchemaDef core(ResourceType type) {
    return cores.get(type);
  }

  public List<SchemaDef> extensions(ResourceType type) {
    return extensions.getOrDefault(type, List.of());
  }

  /** The extension of {@code type} with this URN (case-insensitive). */
  public Optional<SchemaDef> extension(ResourceType type, String urn) {
    for (SchemaDef s : extensions(type)) {
      if (s.id().equalsIgnoreCase(urn)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** {@code id}, {@code externalId}, {@code meta}: part of every resource, listed in no schema. */
  public List<AttributeDef> commonAttributes() {
    return common;
  }

  /** A common attribute by name, case-insensitively. */
  public Optional<AttributeDef> commonAttribute(String name) {
    for (AttributeDef a : common) {
      if (a.name().equalsIgnoreCase(name)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  /**
   * Resolves {@code [urn:]attribute[.sub]} against {@code type}. Without a URN the common and core
   * attributes are searched first, then the extensions (clients send bare {@code employeeNumber}).
   * Empty when nothing matches; a sub-attribute given for a simple attribute also yields empty.
   */
  public Optional<ResolvedAttribute> resolve(
      ResourceType type, String urn, String attribute, String subAttribute) {
    if (attribute == null || attribute.isEmpty()) {
      return Optional.empty();
    }
    SchemaDef core = core(type);
    Optional<ResolvedAttribute> top = Optional.empty();
    if (urn != null) {
      if (core.id().equalsIgnoreCase(urn)) {
        top =
            commonAttribute(attribute)
                .or(() -> core.attribute(attribute))
                .map(a -> new ResolvedAttribute(core, false, a, null));
      } else {
        Optional<SchemaDef> ext = extension(type, urn);
        if (ext.isPresent()) {
          top =
              ext.get()
                  .attribute(attribute)
                  .map(a -> new ResolvedAttribute(ext.get(), true, a, null));
        }
      }
    } else {
      top =
          commonAttribute(attribute)
              .or(() -> core.attribute(attribute))
              .map(a -> new ResolvedAttribute(core, false, a, null));
      if (top.isEmpty()) {
        for (SchemaDef ext : extensions(type)) {
          Optional<AttributeDef> a = ext.attribute(attribute);
          if (a.isPresent()) {
            top = Optional.of(new ResolvedAttribute(ext, true, a.get(), null));
            break;
          }
        }
      }
    }
    if (top.isEmpty() || subAttribute == null) {
      return top;
    }
    ResolvedAttribute r = top.get();
    return r.attribute()
        .subAttribute(subAttribute)
        .map(s -> new ResolvedAttribute(r.schema(), r.extension(), r.attribute(), s));
  }

  // ---------------------------------------------------------------------------------------------

  private static AttributeDef.Builder str(String name) {
    return AttributeDef.builder(name, STRING);
  }

  private static AttributeDef.Builder bool(String name) {
    return AttributeDef.builder(name, BOOLEAN);
  }

  private static AttributeDef.Builder ref(String name, String... types) {
    return AttributeDef.builder(name, REFERENCE).referenceTypes(types);
  }

  private static AttributeDef.Builder complex(String name) {
    return AttributeDef.builder(name, COMPLEX);
  }

  /** value/display/type/primary: the shape RFC 7643 §2.4 gives most multi-valued attributes. */
  private static AttributeDef multi(
      String name, AttributeDef value, String description, String... types) {
    return complex(name)
        .multiValued()
        .description(description)
        .sub(
            value,
            str("display")
                .description("A human-readable name, primarily used for display.")
                .build(),
            str("type")
                .canonical(types)
                .description("A label indicating the attribute's function.")
                .build(),
            bool("primary").description("Whether this is the preferred value.").build())
        .build();
  }

  private static SchemaRegistry buildStandard() {
    List<AttributeDef> common =
        List.of(
            str("id")
                .caseExact()
                .readOnly()
                .returned(Returned.ALWAYS)
                .uniqueness(Uniqueness.SERVER)
                .description("Unique identifier of the resource, issued by the service provider.")
                .build(),
            str("externalId")
                .caseExact()
                .description("Identifier of the resource as defined by the provisioning client.")
                .build(),
            complex("meta")
                .readOnly()
                .description("Resource metadata.")
                .sub(
                    str("resourceType").caseExact().readOnly().build(),
                    AttributeDef.builder("created", DATE_TIME).readOnly().build(),
                    AttributeDef.builder("lastModified", DATE_TIME).readOnly().build(),
                    ref("location", "uri").readOnly().build(),
                    str("version").caseExact().readOnly().build())
                .build());

    SchemaDef user =
        new SchemaDef(
            SchemaUrns.USER,
            "User",
            "User Account",
            List.of(
                str("userName")
                    .required()
                    .uniqueness(Uniqueness.SERVER)
                    .returned(Returned.ALWAYS)
                    .description(
                        "Unique identifier for the User, used to authenticate; case-insensitive.")
                    .build(),
                complex("name")
                    .description("The components of the user's real name.")
                    .sub(
                        str("formatted").build(),
                        str("familyName").build(),
                        str("givenName").build(),
                        str("middleName").build(),
                        str("honorificPrefix").build(),
                        str("honorificSuffix").build())
                    .build(),
                str("displayName")
                    .description("The name of the User, suitable for display.")
                    .build(),
                str("nickName").description("The casual way to address the user.").build(),
                ref("profileUrl", "external")
                    .description("A URI of the user's online profile.")
                    .build(),
                str("title").description("The user's title, such as \"Vice President\".").build(),
                str("userType")
                    .description("The relationship between the organization and the user.")
                    .build(),
                str("preferredLanguage")
                    .description("The user's preferred written or spoken language.")
                    .build(),
                str("locale").description("The user's default location for localisation.").build(),
                str("timezone").description("The user's time zone in IANA format.").build(),
                bool("active").description("The user's administrative status.").build(),
                str("password")
                    .mutability(AttributeDef.Mutability.WRITE_ONLY)
                    .returned(Returned.NEVER)
                    .description("The user's cleartext password; accepted and never stored.")
                    .build(),
                multi(
                    "emails",
                    str("value").description("Email address for the User.").build(),
                    "Email addresses for the user.",
                    "work",
                    "home",
                    "other"),
                multi(
                    "phoneNumbers",
                    str("value").description("Phone number of the User.").build(),
                    "Phone numbers for the User.",
                    "work",
                    "home",
                    "mobile",
                    "fax",
                    "pager",
                    "other"),
                multi(
                    "ims",
                    str("value").description("Instant messaging address for the User.").build(),
                    "Instant messaging addresses for the User.",
                    "aim",
                    "gtalk",
                    "icq",
                    "xmpp",
                    "msn",
                    "skype",
                    "qq",
                    "yahoo"),
                multi(
                    "photos",
                    ref("value", "external").description("URL of a photo of the User.").build(),
                    "URLs of photos of the User.",
                    "photo",
                    "thumbnail"),
                complex("addresses")
                    .multiValued()
                    .description("A physical mailing address for this User.")
                    .sub(
                        str("formatted").build(),
                        str("streetAddress").build(),
                        str("locality").build(),
                        str("region").build(),
                        str("postalCode").build(),
                        str("country").build(),
                        str("type").canonical("work", "home", "other").build(),
                        bool("primary").build())
                    .build(),
                complex("groups")
                    .multiValued()
                    .readOnly()
                    .description("A list of groups to which the user belongs.")
                    .sub(
                        str("value").readOnly().build(),
                        ref("$ref", "User", "Group").readOnly().build(),
                        str("display").readOnly().build(),
                        str("type").readOnly().canonical("direct", "indirect").build())
                    .build(),
                multi(
                    "entitlements",
                    str("value").description("The value of an entitlement.").build(),
                    "A list of entitlements for the User."),
                multi(
                    "roles",
                    str("value").description("The value of a role.").build(),
                    "A list of roles for the User."),
                multi(
                    "x509Certificates",
                    AttributeDef.builder("value", BINARY)
                        .description("The value of an X.509 certificate.")
                        .build(),
                    "A list of certificates issued to the User.")));

    SchemaDef enterprise =
        new SchemaDef(
            SchemaUrns.ENTERPRISE_USER,
            "EnterpriseUser",
            "Enterprise User",
            List.of(
                str("employeeNumber").build(),
                str("costCenter").build(),
                str("organization").build(),
                str("division").build(),
                str("department").build(),
                complex("manager")
                    .description("The User's manager.")
                    .sub(
                        str("value")
                            .description("The id of the SCIM resource of the manager.")
                            .build(),
                        ref("$ref", "User").description("The URI of the manager.").build(),
                        str("displayName")
                            .readOnly()
                            .description("The displayName of the manager.")
                            .build())
                    .build()));

    SchemaDef group =
        new SchemaDef(
            SchemaUrns.GROUP,
            "Group",
            "Group",
            List.of(
                str("displayName")
                    .required()
                    .uniqueness(Uniqueness.SERVER)
                    .description("A human-readable name for the Group.")
                    .build(),
                complex("members")
                    .multiValued()
                    .description("A list of members of the Group.")
                    .sub(
                        str("value").immutable().caseExact().build(),
                        ref("$ref", "User", "Group").immutable().build(),
                        str("type").immutable().canonical("User", "Group").build(),
                        str("display").readOnly().build())
                    .build()));

    List<SchemaDef> all = new ArrayList<>(List.of(user, enterprise, group));
    return new SchemaRegistry(
        all,
        Map.of(ResourceType.USER, user, ResourceType.GROUP, group),
        Map.of(ResourceType.USER, List.of(enterprise), ResourceType.GROUP, List.of()),
        common);
  }
}
