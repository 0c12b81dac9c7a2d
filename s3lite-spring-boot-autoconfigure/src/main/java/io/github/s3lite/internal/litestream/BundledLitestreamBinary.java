package io.github.s3lite.internal.litestream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Properties;

/**
 * The litestream binary packaged for this platform by {@code s3lite-litestream-binaries}, extracted
 * once into an owner-only cache directory. Its SHA-256 is checked against the checksum pinned at
 * build time after every extraction and on every reuse; concurrent starts each write their own
 * temporary file and move it into place atomically, so none can see a partial binary.
 */
final class BundledLitestreamBinary {

	static final String RESOURCE_ROOT = "io/github/s3lite/litestream/";

	private final ClassLoader classLoader;

	private final Platform platform;

	BundledLitestreamBinary(ClassLoader classLoader, Platform platform) {
		this.classLoader = classLoader;
		this.platform = platform;
	}

	/**
	 * Return whether a binary is bundled for this platform.
	 * @return whether {@link #extract(Path)} can succeed
	 */
	boolean isAvailable() {
		return checksum() != null && this.classLoader.getResource(resource()) != null;
	}

	/**
	 * Extract the binary, or reuse an intact earlier extraction.
	 * @param cacheDir the cache directory
	 * @return the executable
	 */
	Path extract(Path cacheDir) {
		String checksum = checksum();
		Path directory = cacheDir.resolve("litestream-" + this.platform + "-" + checksum.substring(0, 12));
		Path target = directory.resolve("litestream");
		try {
			createOwnerOnlyDirectory(cacheDir);
			createOwnerOnlyDirectory(directory);
			if (Files.isRegularFile(target) && checksum.equals(Sha256.of(target)) && Files.isExecutable(target)) {
				return target;
			}
			Path temporary = Files.createTempFile(directory, "litestream-", ".part");
			try {
				try (InputStream in = this.classLoader.getResourceAsStream(resource())) {
					Files.copy(in, temporary, StandardCopyOption.REPLACE_EXISTING);
				}
				verify(temporary, checksum);
				Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rwx------"));
				try {
					Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
				}
				catch (AtomicMoveNotSupportedException ex) {
					Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
				}
			}
			finally {
				Files.deleteIfExists(temporary);
			}
			verify(target, checksum);
			return target;
		}
		catch (IOException ex) {
			throw new LitestreamException("Could not extract the bundled litestream binary to " + directory + ": "
					+ ex.getMessage() + ". Set s3lite.litestream.cache-dir to a writable directory, or "
					+ "s3lite.litestream.binary to an installed litestream.", ex);
		}
	}

	private void verify(Path file, String expected) throws IOException {
		String actual = Sha256.of(file);
		if (!expected.equals(actual)) {
			throw new LitestreamException("The litestream binary at " + file + " has SHA-256 " + actual
					+ " but the bundled one has " + expected + "; refusing to run it. Delete " + file.getParent()
					+ " and restart, or set s3lite.litestream.binary.");
		}
	}

	private static void createOwnerOnlyDirectory(Path directory) throws IOException {
		try {
			Files.createDirectories(directory.getParent());
			Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		}
		catch (FileAlreadyExistsException ex) {
			// an earlier or concurrent start created it; its owner is checked below
		}
		UserPrincipal owner = Files.getOwner(directory);
		String user = System.getProperty("user.name");
		if (user != null && !owner.getName().equals(user)) {
			throw new IOException(directory + " belongs to " + owner.getName() + ", not to " + user);
		}
	}

	String version() {
		return properties().getProperty(this.platform + ".version");
	}

	private String checksum() {
		return properties().getProperty(this.platform + ".sha256");
	}

	private String resource() {
		return RESOURCE_ROOT + this.platform + "/litestream";
	}

	private Properties properties() {
		Properties properties = new Properties();
		try (InputStream in = this.classLoader.getResourceAsStream(RESOURCE_ROOT + "binaries.properties")) {
			if (in != null) {
				properties.load(in);
			}
		}
		catch (IOException ex) {
			// treated as "nothing bundled"
		}
		return properties;
	}

}
