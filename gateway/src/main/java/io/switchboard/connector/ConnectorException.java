package io.switchboard.connector;

/**
 * A connector failure with a stable code and a message that is safe to show an operator and to
 * store in the fleet status: it never carries a key, a token or a person's data.
 *
 * <p>Codes: {@code settings}, {@code key_format}, {@code token_exchange}, {@code
 * unauthorized_client}, {@code invalid_subject}, {@code invalid_scope}, {@code group_not_found},
 * {@code directory_forbidden}, {@code source_unavailable}, {@code secrets_unavailable}, {@code
 * directory_write}.
 */
public final class ConnectorException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public static final String SETTINGS = "settings";
  public static final String KEY_FORMAT = "key_format";
  public static final String TOKEN_EXCHANGE = "token_exchange";
  public static final String UNAUTHORIZED_CLIENT = "unauthorized_client";
  public static final String INVALID_SUBJECT = "invalid_subject";
  public static final String INVALID_SCOPE = "invalid_scope";
  public static final String GROUP_NOT_FOUND = "group_not_found";
  public static final String DIRECTORY_FORBIDDEN = "directory_forbidden";
  public static final String SOURCE_UNAVAILABLE = "source_unavailable";
  public static final String SECRETS_UNAVAILABLE = "secrets_unavailable";
  public static final String DIRECTORY_WRITE = "directory_write";

  private final String code;

  public ConnectorException(String code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
