package io.github.s3lite.internal.config;

import java.beans.PropertyDescriptor;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.core.env.Environment;
import io.github.s3lite.config.S3liteProperties;

/**
 * Fails startup on a key under {@code s3lite.*} that is not an s3lite property, such as
 * {@code s3lite.backup-too}: the binder would ignore it and silently turn a feature off. Known names
 * are derived from {@link S3liteProperties}; every relaxed spelling of them ({@code backupTo},
 * {@code backup_to}, {@code S3LITE_BACKUP_TO}, {@code S3LITE_BACKUPTO}, list indexes) is accepted. The
 * failure names the key as written, where it was set and the nearest valid property. Values are never
 * read, so a misspelled secret is not echoed.
 */
public final class UnknownPropertyCheck {

	private static final String PREFIX = "s3lite";

	private static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of(PREFIX);

	private static final int MAX_SUGGESTION_DISTANCE = 4;

	/** Properties that were renamed, by the uniform form of their old name (see docs/changes.md). */
	private static final Map<String, String> RENAMED = Map.of("litestreamrestoretimeout", "s3lite.restore-timeout",
			"litestreamshutdownsynctimeout", "s3lite.shutdown-sync-timeout");

	enum Kind {

		GROUP, VALUE, LIST, MAP

	}

	private UnknownPropertyCheck() {
	}

	/**
	 * Check every enumerable property source of the environment.
	 * @param environment the environment
	 * @throws InvalidS3liteConfigException on the first unknown {@code s3lite.*} key
	 */
	public static void check(Environment environment) {
		Map<String, Known> known = knownProperties();
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (source instanceof IterableConfigurationPropertySource iterable) {
				iterable.stream()
					.filter(ROOT::isAncestorOf)
					.filter((name) -> !isKnown(name, known))
					.findFirst()
					.ifPresent((name) -> {
						throw unknown(name, source.getConfigurationProperty(name), known.values());
					});
			}
		}
	}

	private static boolean isKnown(ConfigurationPropertyName name, Map<String, Known> known) {
		StringBuilder key = new StringBuilder();
		boolean indexed = false;
		for (int i = 1; i < name.getNumberOfElements(); i++) {
			if (name.isNumericIndex(i)) {
				indexed = true;
				continue;
			}
			key.append(name.getElement(i, Form.UNIFORM));
			Known property = known.get(key.toString());
			if (property != null && property.kind == Kind.MAP) {
				return true;
			}
		}
		Known property = known.get(key.toString());
		return property != null && (!indexed || property.kind == Kind.LIST);
	}

	private static InvalidS3liteConfigException unknown(ConfigurationPropertyName name, ConfigurationProperty property,
			Collection<Known> known) {
		Origin origin = (property != null) ? property.getOrigin() : null;
		String written = (origin instanceof PropertySourceOrigin propertySourceOrigin)
				? propertySourceOrigin.getPropertyName() : name.toString();
		String where = (origin != null) ? " (set in " + origin + ")" : "";
		String uniform = uniform(name);
		if (RENAMED.containsKey(uniform)) {
			return new InvalidS3liteConfigException(written, null, "it was renamed to " + RENAMED.get(uniform) + where,
					"Rename " + written + " to " + RENAMED.get(uniform) + ".");
		}
		Known nearest = null;
		int distance = Integer.MAX_VALUE;
		for (Known candidate : known) {
			int candidateDistance = levenshtein(uniform, candidate.uniform);
			if (candidate.kind != Kind.GROUP && candidateDistance < distance) {
				nearest = candidate;
				distance = candidateDistance;
			}
		}
		String action = (nearest != null && distance <= MAX_SUGGESTION_DISTANCE)
				? "Did you mean " + nearest.name + "? Rename " + written + " to " + nearest.name + ", or remove it."
				: "Remove it, or use one of the s3lite.* properties listed in s3lite's configuration reference, "
						+ "docs/configuration.md (your IDE completes them from the configuration metadata).";
		return new InvalidS3liteConfigException(written, null,
				"it is not an s3lite property" + where + ", so s3lite would silently ignore it", action);
	}

	private static String uniform(ConfigurationPropertyName name) {
		StringBuilder uniform = new StringBuilder();
		for (int i = 1; i < name.getNumberOfElements(); i++) {
			if (!name.isNumericIndex(i)) {
				uniform.append(name.getElement(i, Form.UNIFORM));
			}
		}
		return uniform.toString();
	}

	/**
	 * Return every property and group of {@link S3liteProperties}, keyed by their uniform form
	 * (lower case, no separators), e.g. {@code s3accesskeyid} for {@code s3lite.s3.access-key-id}.
	 * @return the known properties
	 */
	static Map<String, Known> knownProperties() {
		Map<String, Known> known = new LinkedHashMap<>();
		collect(PREFIX + ".", S3liteProperties.class, known);
		return known;
	}

	private static void collect(String prefix, Class<?> type, Map<String, Known> known) {
		for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
			Class<?> propertyType = descriptor.getPropertyType();
			if (descriptor.getReadMethod() == null || propertyType == null || "class".equals(descriptor.getName())) {
				continue;
			}
			String name = prefix + kebab(descriptor.getName());
			if (propertyType.getEnclosingClass() == S3liteProperties.class && !propertyType.isEnum()) {
				known.put(uniform(ConfigurationPropertyName.of(name)), new Known(name, Kind.GROUP));
				collect(name + ".", propertyType, known);
			}
			else if (descriptor.getWriteMethod() != null) {
				Kind kind = Collection.class.isAssignableFrom(propertyType) || propertyType.isArray() ? Kind.LIST
						: Map.class.isAssignableFrom(propertyType) ? Kind.MAP : Kind.VALUE;
				known.put(uniform(ConfigurationPropertyName.of(name)), new Known(name, kind));
			}
		}
	}

	private static String kebab(String camelCase) {
		StringBuilder kebab = new StringBuilder();
		for (char c : camelCase.toCharArray()) {
			if (Character.isUpperCase(c)) {
				kebab.append('-').append(Character.toLowerCase(c));
			}
			else {
				kebab.append(c);
			}
		}
		return kebab.toString();
	}

	static int levenshtein(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}

	record Known(String name, Kind kind, String uniform) {

		Known(String name, Kind kind) {
			this(name, kind, UnknownPropertyCheck.uniform(ConfigurationPropertyName.of(name)));
		}

	}

}
