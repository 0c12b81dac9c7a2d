package io.github.s3lite.internal.nativeengine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import io.github.s3lite.internal.replication.WalPosition;

/**
 * The native engine's last restore and where the file it restored stands: the end it restored to, and
 * the WAL position replication continues from, handed out once.
 */
final class LastRestore {

	private final AtomicReference<Map.Entry<Path, NativeRestoreResult>> last = new AtomicReference<>();

	/**
	 * Restore, and remember where the restored file stands: the last restore only.
	 * @param restore the restore
	 * @param target the file to restore
	 * @return whether the replica held a database to restore
	 */
	boolean restore(NativeRestore restore, Path target) throws IOException {
		this.last.set(null);
		NativeRestoreResult result = restore.restore(target);
		if (result.restored()) {
			this.last.set(Map.entry(key(target), result));
		}
		return result.restored();
	}

	/**
	 * Return, once, the WAL position the last restore left the file at.
	 * @param target the restored file
	 * @return the position, or empty when the last restore was not of this file or it was taken already
	 */
	Optional<WalPosition> takePosition(Path target) {
		Map.Entry<Path, NativeRestoreResult> restored = this.last.get();
		if (restored == null || !restored.getKey().equals(key(target)) || !this.last.compareAndSet(restored, null)) {
			return Optional.empty();
		}
		return Optional.of(restored.getValue().walEnd());
	}

	/**
	 * Return the end the last restore restored the file to.
	 * @param target the restored file
	 * @return the end, or empty when the last restore was not of this file
	 */
	Optional<String> end(Path target) {
		Map.Entry<Path, NativeRestoreResult> restored = this.last.get();
		return (restored != null && restored.getKey().equals(key(target)))
				? Optional.ofNullable(restored.getValue().end()) : Optional.empty();
	}

	private static Path key(Path target) {
		return target.toAbsolutePath().normalize();
	}

}
