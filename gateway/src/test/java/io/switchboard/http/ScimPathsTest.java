package io.switchboard.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("SCIM paths are matched case-insensitively and tolerate a trailing slash")
class ScimPathsTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "/scim/v2/Users, /scim/v2/Users",
    "/scim/v2/users, /scim/v2/Users",
    "/scim/v2/Users/, /scim/v2/Users",
    "/SCIM/V2/GROUPS, /scim/v2/Groups",
    "/scim/v2/groups/ABC-def/, /scim/v2/Groups/ABC-def",
    "/scim/v2/serviceProviderConfig, /scim/v2/ServiceProviderConfig",
    "/scim/v2/resourcetypes/user, /scim/v2/ResourceTypes/user",
    "/scim/v2/users/.SEARCH, /scim/v2/Users/.search",
    "/scim/v2/, /scim/v2",
  })
  void canonical(String in, String out) {
    assertThat(ScimPaths.canonical(in)).isEqualTo(out);
  }

  @ParameterizedTest
  @CsvSource({"/health", "/scim/v20/Users", "/scimx"})
  void outsideThePrefix(String in) {
    assertThat(ScimPaths.canonical(in)).isNull();
  }
}
