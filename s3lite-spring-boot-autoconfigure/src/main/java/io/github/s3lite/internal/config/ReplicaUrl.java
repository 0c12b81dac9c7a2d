package io.github.s3lite.internal.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A replica location: a directory ({@code file:}) or a bucket and key prefix ({@code s3://}).
 *
 * <p>
 * Accepted forms: {@code s3://bucket}, {@code s3://bucket/prefix}, {@code file:/absolute/dir},
 * {@code file:///absolute/dir} and {@code file:relative/dir} (relative to the working directory).
 */
public final class ReplicaUrl {

	static final String VALID_FORMS = "Use 's3://bucket/prefix', 'file:/absolute/dir' or 'file:relative/dir'";

	private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.\\-]{1,61}[a-z0-9]");

	private final Scheme scheme;

	private final String bucket;

	private final String prefix;

	private final Path directory;

	private ReplicaUrl(Scheme scheme, String bucket, String prefix, Path directory) {
		this.scheme = scheme;
		this.bucket = bucket;
		this.prefix = prefix;
		this.directory = directory;
	}

	/**
	 * Parse a replica URL.
	 * @param property the property holding the value, named in errors
	 * @param value the value
	 * @return the parsed URL
	 * @throws InvalidS3liteConfigException if the value is not a valid replica URL
	 */
	public static ReplicaUrl parse(String property, String value) {
		String url = value.strip();
		String lower = url.toLowerCase(Locale.ROOT);
		if (lower.startsWith("s3://")) {
			return parseS3(property, value, url.substring("s3://".length()));
		}
		if (lower.startsWith("file:")) {
			return parseFile(property, value, url.substring("file:".length()));
		}
		int colon = url.indexOf(':');
		String problem = (colon > 0) ? "unsupported scheme '" + url.substring(0, colon) + "'" : "missing scheme";
		throw new InvalidS3liteConfigException(property, value, problem, VALID_FORMS + ".");
	}

	private static ReplicaUrl parseS3(String property, String value, String rest) {
		int slash = rest.indexOf('/');
		String bucket = (slash >= 0) ? rest.substring(0, slash) : rest;
		String prefix = (slash >= 0) ? trimSlashes(rest.substring(slash + 1)) : "";
		if (bucket.isEmpty()) {
			throw new InvalidS3liteConfigException(property, value, "the bucket name is missing", VALID_FORMS + ".");
		}
		if (!BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
			throw new InvalidS3liteConfigException(property, value, "'" + bucket + "' is not a valid bucket name",
					"Bucket names have 3 to 63 lowercase letters, digits, dots and hyphens, e.g. 's3://my-bucket/db'.");
		}
		if (prefix.contains("//") || prefix.contains("?") || prefix.contains("#")) {
			throw new InvalidS3liteConfigException(property, value, "the key prefix '" + prefix + "' is not valid",
					"Use a prefix without '?', '#' or empty segments, e.g. 's3://my-bucket/app/db'.");
		}
		return new ReplicaUrl(Scheme.S3, bucket, prefix, null);
	}

	private static ReplicaUrl parseFile(String property, String value, String rest) {
		String location = rest.startsWith("//") ? rest.substring(2) : rest;
		if (location.isBlank()) {
			throw new InvalidS3liteConfigException(property, value, "the directory is missing", VALID_FORMS + ".");
		}
		try {
			return new ReplicaUrl(Scheme.FILE, null, null, Path.of(location).toAbsolutePath().normalize());
		}
		catch (InvalidPathException ex) {
			throw new InvalidS3liteConfigException(property, value, "'" + location + "' is not a valid path",
					VALID_FORMS + ".");
		}
	}

	private static String trimSlashes(String prefix) {
		String trimmed = prefix;
		while (trimmed.endsWith("/")) {
			trimmed = trimmed.substring(0, trimmed.length() - 1);
		}
		return trimmed;
	}

	/**
	 * Return the scheme.
	 * @return the scheme
	 */
	public Scheme scheme() {
		return this.scheme;
	}

	/**
	 * Return the bucket of an {@code s3://} URL.
	 * @return the bucket, {@code null} for {@code file:}
	 */
	public String bucket() {
		return this.bucket;
	}

	/**
	 * Return the key prefix of an {@code s3://} URL, without leading or trailing slashes.
	 * @return the prefix (possibly empty), {@code null} for {@code file:}
	 */
	public String prefix() {
		return this.prefix;
	}

	/**
	 * Return the absolute directory of a {@code file:} URL.
	 * @return the directory, {@code null} for {@code s3://}
	 */
	public Path directory() {
		return this.directory;
	}

	@Override
	public boolean equals(Object obj) {
		return (obj instanceof ReplicaUrl other) && toString().equals(other.toString());
	}

	@Override
	public int hashCode() {
		return toString().hashCode();
	}

	/**
	 * Return the canonical form of this URL, which never holds credentials.
	 * @return {@code s3://bucket/prefix} or {@code file:/absolute/dir}
	 */
	@Override
	public String toString() {
		return (this.scheme == Scheme.S3) ? "s3://" + this.bucket + (this.prefix.isEmpty() ? "" : "/" + this.prefix)
				: "file:" + this.directory;
	}

	/**
	 * Kinds of replica.
	 */
	public enum Scheme {

		/** A directory on a local or mounted filesystem. */
		FILE,

		/** A bucket of an S3-compatible object store. */
		S3

	}

}
