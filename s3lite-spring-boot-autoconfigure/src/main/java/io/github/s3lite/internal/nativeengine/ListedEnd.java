package io.github.s3lite.internal.nativeengine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

import io.github.s3lite.internal.nativeengine.format.ReplicaFormat;
import io.github.s3lite.internal.nativeengine.format.RestorePlan;
import io.github.s3lite.internal.nativeengine.format.WalSegmentInfo;
import io.github.s3lite.internal.replication.WalPosition;
import io.github.s3lite.internal.storage.ReplicaStore;

/**
 * Where a restore following a plan ends, as a WAL position: the last segment's offset plus its decoded
 * length (one GET of that segment), or the snapshot's index at offset 0 for a snapshot-only plan. It
 * tells whether a listing shows a writer's last upload, whose key the writer may not know (litestream's).
 */
final class ListedEnd {

	private ListedEnd() {
	}

	static WalPosition of(RestorePlan plan, ReplicaStore store, ReplicaFormat format) throws IOException {
		if (plan.walIndexes().isEmpty()) {
			return new WalPosition(plan.generation(), plan.snapshot().index(), 0);
		}
		List<WalSegmentInfo> segments = plan.walIndexes().get(plan.walIndexes().size() - 1).segments();
		if (segments.isEmpty()) {
			return new WalPosition(plan.generation(), plan.targetIndex(), 0);
		}
		WalSegmentInfo last = segments.get(segments.size() - 1);
		try (InputStream in = format.decode(store.get(last.key()))) {
			return new WalPosition(plan.generation(), last.index(), last.offset() + in.transferTo(OutputStream.nullOutputStream()));
		}
	}

}
