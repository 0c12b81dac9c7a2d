package io.github.s3lite.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the last commit ends, in litestream's terms (WAL index, offset): the end of the last commit frame
 * of SQLite's WAL (frames whose salts match the WAL header), and the index of litestream's shadow WAL file
 * that starts with the same header salts (the next index when litestream has not seen this WAL yet). Read
 * right after a commit by the only writer, it is the position the replica must reach to hold that commit.
 */
final class WalTail {

	private static final int HEADER = 32;

	private static final int FRAME_HEADER = 24;

	private final Path wal;

	private final Path meta;

	private long salts = -1;

	private long end;

	WalTail(Path database) {
		this.wal = database.resolveSibling(database.getFileName() + "-wal");
		this.meta = database.resolveSibling("." + database.getFileName() + "-litestream");
	}

	/**
	 * Return the position just after the last commit.
	 * @return {index, offset}
	 */
	long[] position() throws IOException {
		try (FileChannel channel = FileChannel.open(this.wal, StandardOpenOption.READ)) {
			ByteBuffer header = read(channel, 0, HEADER);
			int pageSize = header.getInt(8);
			long walSalts = header.getLong(16);
			long offset = (walSalts == this.salts) ? this.end : HEADER;
			long commitEnd = (walSalts == this.salts) ? this.end : HEADER;
			long size = channel.size();
			while (offset + FRAME_HEADER + pageSize <= size) {
				ByteBuffer frame = read(channel, offset, FRAME_HEADER);
				if (frame.getLong(8) != walSalts) {
					break;
				}
				offset += FRAME_HEADER + pageSize;
				if (frame.getInt(4) != 0) {
					commitEnd = offset;
				}
			}
			this.salts = walSalts;
			this.end = commitEnd;
			return new long[] { shadowIndex(walSalts), commitEnd };
		}
	}

	private long shadowIndex(long walSalts) throws IOException {
		String generation = Files.readString(this.meta.resolve("generation")).trim();
		Path directory = this.meta.resolve("generations").resolve(generation).resolve("wal");
		List<Path> files = new ArrayList<>();
		try (Stream<Path> list = Files.list(directory)) {
			list.filter((file) -> file.getFileName().toString().endsWith(".wal")).forEach(files::add);
		}
		files.sort(Comparator.comparing((Path file) -> file.getFileName().toString()).reversed());
		for (Path file : files) {
			try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
				if (channel.size() >= HEADER && read(channel, 0, HEADER).getLong(16) == walSalts) {
					return index(file);
				}
			}
		}
		return files.isEmpty() ? 0 : index(files.get(0)) + 1;
	}

	private static long index(Path file) {
		String name = file.getFileName().toString();
		return Long.parseLong(name.substring(0, name.indexOf('.')), 16);
	}

	private static ByteBuffer read(FileChannel channel, long position, int length) throws IOException {
		ByteBuffer buffer = ByteBuffer.allocate(length);
		while (buffer.hasRemaining()) {
			if (channel.read(buffer, position + buffer.position()) < 0) {
				break;
			}
		}
		return buffer.flip();
	}

}
