package io.github.s3lite.internal.litestream;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;

import io.github.s3lite.internal.nativeengine.wal.CommittedWal;
import io.github.s3lite.internal.nativeengine.wal.WalHeader;
import io.github.s3lite.internal.nativeengine.wal.WalReader;
import io.github.s3lite.internal.replication.WalPosition;

/**
 * Where litestream will put what is committed now, before it has captured it: litestream copies one life
 * of the database's WAL into one shadow WAL index at the same offsets, and the life after a restart into
 * the next index. So the committed end of the WAL (salts and checksum chain verified as SQLite does),
 * placed in the shadow WAL's generation and index, is the replica position that holds every commit made
 * so far. The scan continues from the previous one while the WAL's life goes on.
 */
final class CommittedWalEnd {

	private final LocalWalPositions positions;

	private final Path wal;

	private CommittedWal lastScan;

	CommittedWalEnd(Path database) {
		this.positions = new LocalWalPositions(database);
		this.wal = database.resolveSibling(database.getFileName() + "-wal");
	}

	/**
	 * Return the replica position of everything committed now.
	 * @return the position, or {@code null} before litestream captured anything
	 * @throws IOException when the WAL cannot be read
	 */
	synchronized WalPosition position() throws IOException {
		LocalWalPositions.Snapshot captured = this.positions.snapshot();
		if (captured == null) {
			return null;
		}
		WalPosition shadow = captured.position();
		Optional<CommittedWal> committed = scan();
		if (committed.isEmpty() || committed.get().length() <= WalHeader.SIZE) {
			return shadow;
		}
		long length = committed.get().length();
		boolean sameLife = captured.lastShadow() != null
				&& Arrays.equals(committed.get().header().bytes(), captured.lastShadow().header());
		if (sameLife) {
			return (length > shadow.offset()) ? new WalPosition(shadow.generation(), shadow.index(), length) : shadow;
		}
		// the WAL restarted after litestream's checkpoint and litestream has not started the next index yet
		return new WalPosition(shadow.generation(), shadow.index() + 1, length);
	}

	private Optional<CommittedWal> scan() throws IOException {
		try (FileChannel channel = FileChannel.open(this.wal, StandardOpenOption.READ)) {
			Optional<WalHeader> header = WalReader.readHeader(channel);
			if (header.isEmpty()) {
				return Optional.empty();
			}
			CommittedWal last = this.lastScan;
			CommittedWal scanned = (last != null && last.header().sameLife(header.get()))
					? WalReader.committedPrefix(channel, header.get(), last.length(), last.checksum())
					: WalReader.committedPrefix(channel, header.get(), WalHeader.SIZE, header.get().checksum());
			this.lastScan = scanned;
			return Optional.of(scanned);
		}
		catch (NoSuchFileException ex) {
			return Optional.empty();
		}
	}

}
