package io.github.s3lite.internal.storage;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The directory of a {@link FileReplicaStore}: where each key's file is, and the objects it holds
 * (hidden and temporary files are the store's own, not objects).
 */
final class ReplicaDirectory {

	private final Path root;

	/**
	 * Create the directory's view.
	 * @param root the directory, absolute and normalized
	 */
	ReplicaDirectory(Path root) {
		this.root = root;
	}

	Path root() {
		return this.root;
	}

	/**
	 * List the objects whose keys start with a prefix, sorted by key.
	 * @param prefix the key prefix
	 * @return the objects
	 */
	List<StoredObject> list(String prefix) throws IOException {
		int slash = prefix.lastIndexOf('/');
		Path start = (slash >= 0) ? resolve(prefix.substring(0, slash)) : this.root;
		if (!Files.isDirectory(start)) {
			return List.of();
		}
		List<StoredObject> objects = new ArrayList<>();
		// another writer (litestream, or this engine) renames temporary files into place while we list:
		// a file or directory that vanishes during the walk is simply not listed
		Files.walkFileTree(start, new SimpleFileVisitor<>() {

			@Override
			public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
				String key = key(file);
				if (attributes.isRegularFile() && !isInternal(file.getFileName().toString()) && key.startsWith(prefix)) {
					objects.add(new StoredObject(key, attributes.size(), attributes.lastModifiedTime().toInstant()));
				}
				return FileVisitResult.CONTINUE;
			}

			@Override
			public FileVisitResult visitFileFailed(Path file, IOException ex) throws IOException {
				if (ex instanceof NoSuchFileException) {
					return FileVisitResult.CONTINUE;
				}
				throw ex;
			}

		});
		objects.sort(Comparator.comparing(StoredObject::key));
		return objects;
	}

	private static boolean isInternal(String name) {
		return name.startsWith(".") || name.endsWith(".tmp");
	}

	private String key(Path file) {
		return this.root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
	}

	/**
	 * Return the file of a key.
	 * @param key the key, {@code /}-separated, with no empty, {@code .} or {@code ..} segment
	 * @return the file
	 * @throws IllegalArgumentException if the key is not valid
	 */
	Path resolve(String key) {
		if (key.isEmpty() || key.startsWith("/") || key.contains("\\")) {
			throw new IllegalArgumentException("Invalid key '" + key + "'");
		}
		for (String segment : key.split("/", -1)) {
			if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
				throw new IllegalArgumentException("Invalid key '" + key + "'");
			}
		}
		return this.root.resolve(key);
	}

}
