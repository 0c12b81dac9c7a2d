package io.github.s3lite.internal.config;

/**
 * Thrown when an {@code s3lite.*} property holds a value s3lite cannot use. Names the property, the
 * bad value and the fix; thrown before any file or replica work starts.
 */
public class InvalidS3liteConfigException extends IllegalStateException {

	private final String property;

	private final String value;

	private final String action;

	public InvalidS3liteConfigException(String property, Object value, String problem, String action) {
		super("Invalid " + property + (value != null ? " '" + value + "'" : "") + ": " + problem + ". " + action);
		this.property = property;
		this.value = (value != null) ? value.toString() : null;
		this.action = action;
	}

	/**
	 * Return the name of the offending property.
	 * @return the property name, e.g. {@code s3lite.backup-to}
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * Return the offending value.
	 * @return the value, or {@code null} when the property is missing
	 */
	public String getValue() {
		return this.value;
	}

	/**
	 * Return what the user should do.
	 * @return the suggested fix
	 */
	public String getAction() {
		return this.action;
	}

}
