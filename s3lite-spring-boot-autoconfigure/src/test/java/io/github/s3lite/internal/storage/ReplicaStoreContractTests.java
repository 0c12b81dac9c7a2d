package io.github.s3lite.internal.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.s3lite.internal.config.S3Connection;
import io.github.s3lite.test.S3ProxyServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * One contract, two stores: S3 (S3Proxy on 127.0.0.1, SigV4 checked) and a directory.
 */
class ReplicaStoreContractTests {

	private static final String BUCKET = "store-contract";

	private static final int PART_SIZE = 5 * 1024 * 1024;

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	@TempDir
	static Path directory;

	static Stream<Arguments> stores() {
		Function<String, ReplicaStore> onS3 = (prefix) -> new S3ReplicaStore(
				S3ClientFactory.create(S3Connection.of(s3.endpoint(), null, null, S3ProxyServer.ACCESS_KEY,
						S3ProxyServer.SECRET_KEY)),
				BUCKET, prefix, PART_SIZE, true);
		Function<String, ReplicaStore> inDirectory = (prefix) -> new FileReplicaStore(directory.resolve(prefix));
		return Stream.of(Arguments.of(Named.of("s3", onS3)), Arguments.of(Named.of("file", inDirectory)));
	}

	/**
	 * Replace with the current ETag and return the new one. On S3 the SDK retries a request whose answer
	 * it lost (now and then on a reused loopback connection), and the retry is refused by the object its
	 * own first attempt wrote; the contract lets callers tell that apart by the stored content, as the
	 * lease does. A replace that really was refused leaves the old content and fails here.
	 */
	private static String replaceAsTheLeaseDoes(ReplicaStore store, String key, byte[] content, String etag)
			throws IOException {
		ConditionalResult result = store.replaceIfMatch(key, content, etag);
		if (result.applied()) {
			return result.etag();
		}
		VersionedObject stored = store.getVersioned(key).orElseThrow();
		assertThat(stored.content()).as("a refused replace with the current ETag is its own retry").isEqualTo(content);
		return stored.etag();
	}

	private static ReplicaStore fresh(Function<String, ReplicaStore> stores) {
		return stores.apply("replica-" + UUID.randomUUID());
	}

	@ParameterizedTest
	@MethodSource("stores")
	void storedObjectsAreListedInKeyOrderWithTheirSizesUnderAPrefix(Function<String, ReplicaStore> stores)
			throws IOException {
		try (ReplicaStore store = fresh(stores)) {
			store.put("generations/b/wal/00000001_00000000.wal.lz4", bytes(10));
			store.put("generations/a/snapshots/00000000.snapshot.lz4", bytes(20));
			store.put("generations/a/wal/00000000_00000000.wal.lz4", bytes(30));
			store.put("lock.json", bytes(1));
			List<StoredObject> listed = store.list("generations/");
			assertThat(listed).extracting(StoredObject::key)
				.containsExactly("generations/a/snapshots/00000000.snapshot.lz4",
						"generations/a/wal/00000000_00000000.wal.lz4", "generations/b/wal/00000001_00000000.wal.lz4");
			assertThat(listed).extracting(StoredObject::size).containsExactly(20L, 30L, 10L);
			assertThat(listed).allSatisfy((object) -> assertThat(object.lastModified()).isNotNull());
			assertThat(store.list("generations/a/wal/")).hasSize(1);
			assertThat(store.list("nothing/")).isEmpty();
		}
	}

	@ParameterizedTest
	@MethodSource("stores")
	void aListingStartingAfterAKeyHoldsOnlyTheKeysAfterItUnderThePrefix(Function<String, ReplicaStore> stores)
			throws IOException {
		try (ReplicaStore store = fresh(stores)) {
			store.put("generations/a/wal/00000000_00000000.wal.lz4", bytes(1));
			store.put("generations/a/wal/00000000_00000020.wal.lz4", bytes(2));
			store.put("generations/a/wal/00000001_00000000.wal.lz4", bytes(3));
			store.put("generations/b/snapshots/00000000.snapshot.lz4", bytes(4));
			store.put("lock.json", bytes(1));
			assertThat(store.list("generations/", "generations/a/wal/00000000_00000020")).extracting(StoredObject::key)
				.containsExactly("generations/a/wal/00000000_00000020.wal.lz4", "generations/a/wal/00000001_00000000.wal.lz4",
						"generations/b/snapshots/00000000.snapshot.lz4");
			assertThat(store.list("generations/a/", "generations/a/wal/00000000_00000020.wal.lz4"))
				.extracting(StoredObject::key)
				.containsExactly("generations/a/wal/00000001_00000000.wal.lz4");
			assertThat(store.list("generations/", "generations/b/snapshots/00000000.snapshot.lz4")).isEmpty();
			assertThat(store.list("generations/", "")).hasSize(4);
			assertThat(store.list("generations/", "a")).hasSize(4);
		}
	}

	@ParameterizedTest
	@MethodSource("stores")
	void anObjectReadsBackAsWritten(Function<String, ReplicaStore> stores) throws IOException {
		try (ReplicaStore store = fresh(stores)) {
			byte[] content = bytes(100_000);
			store.put("a/b", new ByteArrayInputStream(content), content.length);
			try (InputStream in = store.get("a/b")) {
				assertThat(in.readAllBytes()).isEqualTo(content);
			}
			assertThat(store.getVersioned("a/b")).hasValueSatisfying((object) -> {
				assertThat(object.content()).isEqualTo(content);
				assertThat(object.etag()).isNotBlank();
			});
		}
	}

	@ParameterizedTest
	@MethodSource("stores")
	void aMissingObjectIsNoSuchFileOrEmpty(Function<String, ReplicaStore> stores) throws IOException {
		try (ReplicaStore store = fresh(stores)) {
			assertThatExceptionOfType(NoSuchFileException.class).isThrownBy(() -> store.get("missing/key").close());
			assertThat(store.getVersioned("missing/key")).isEmpty();
		}
	}

	@ParameterizedTest
	@MethodSource("stores")
	void aStreamOfUnknownLengthLargerThanOnePartIsStoredWhole(Function<String, ReplicaStore> stores)
			throws IOException {
		try (ReplicaStore store = fresh(stores)) {
			byte[] content = bytes(2 * PART_SIZE + 12345);
			store.write("big", (out) -> {
				for (int offset = 0; offset < content.length; offset += 100_000) {
					out.write(content, offset, Math.min(100_000, content.length - offset));
				}
			});
			try (InputStream in = store.get("big")) {
				assertThat(in.readAllBytes()).isEqualTo(content);
			}
			byte[] known = bytes(PART_SIZE + 1);
			store.put("big-known", new ByteArrayInputStream(known), known.length);
			try (InputStream in = store.get("big-known")) {
				assertThat(in.readAllBytes()).isEqualTo(known);
			}
		}
	}

	@ParameterizedTest
	@MethodSource("stores")
	void aWriteThatFailsHalfwayLeavesNoObject(Function<String, ReplicaStore> stores) throws IOException {
		try (ReplicaStore store = fresh(stores)) {
			assertThatExceptionOfType(IOException.class).isThrownBy(() -> store.write("partial", (out) -> {
				out.write(bytes(PART_SIZE + 10));
				throw new IOException("source failed");
			})).withMessage("source failed");
			assertThat(store.list("")).isEmpty();
		}
	}

	@ParameterizedTest
	@MethodSource("stores")
	void deleteRemovesEveryGivenKeyAndIgnoresMissingOnes(Function<String, ReplicaStore> stores) throws IOException {
		try (ReplicaStore store = fresh(stores)) {
			List<String> keys = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				keys.add("d/" + i);
				store.put("d/" + i, bytes(3));
			}
			store.put("keep", bytes(3));
			keys.add("d/never-existed");
			store.delete(keys);
			assertThat(store.list("")).extracting(StoredObject::key).containsExactly("keep");
		}
	}

	@ParameterizedTest
	@MethodSource("stores")
	void createIfAbsentWritesOnceAndThenFailsItsPrecondition(Function<String, ReplicaStore> stores)
			throws IOException {
		try (ReplicaStore store = fresh(stores)) {
			ConditionalResult first = store.createIfAbsent("lock.json", text("first"));
			assertThat(first.applied()).isTrue();
			assertThat(first.etag()).isNotBlank();
			ConditionalResult second = store.createIfAbsent("lock.json", text("second"));
			assertThat(second.preconditionHasFailed()).isTrue();
			assertThat(store.getVersioned("lock.json")).hasValueSatisfying((object) -> {
				assertThat(object.content()).isEqualTo(text("first"));
				assertThat(object.etag()).isEqualTo(first.etag());
			});
		}
	}

	@ParameterizedTest
	@MethodSource("stores")
	void replaceIfMatchSucceedsWithTheCurrentEtagOnlyAndReturnsTheNewOne(Function<String, ReplicaStore> stores)
			throws IOException {
		try (ReplicaStore store = fresh(stores)) {
			String v1 = store.createIfAbsent("lock.json", text("v1")).etag();
			String v2 = replaceAsTheLeaseDoes(store, "lock.json", text("v2"), v1);
			assertThat(v2).isNotEqualTo(v1);
			assertThat(store.replaceIfMatch("lock.json", text("stale"), v1).preconditionHasFailed()).isTrue();
			assertThat(store.getVersioned("lock.json").orElseThrow().content()).isEqualTo(text("v2"));
			assertThat(store.getVersioned("lock.json").orElseThrow().etag()).isEqualTo(v2);
			assertThat(store.replaceIfMatch("missing.json", text("x"), v1).preconditionHasFailed()).isTrue();
			assertThat(store.getVersioned("missing.json")).isEmpty();
		}
	}

	@ParameterizedTest
	@MethodSource("stores")
	void deleteIfMatchDeletesOnlyTheVersionItWasGiven(Function<String, ReplicaStore> stores) throws IOException {
		try (ReplicaStore store = fresh(stores)) {
			String v1 = store.createIfAbsent("lock.json", text("v1")).etag();
			String v2 = replaceAsTheLeaseDoes(store, "lock.json", text("v2"), v1);
			assertThat(store.deleteIfMatch("lock.json", v1).preconditionHasFailed()).isTrue();
			assertThat(store.getVersioned("lock.json")).isPresent();
			assertThat(store.deleteIfMatch("lock.json", v2).applied()).isTrue();
			assertThat(store.getVersioned("lock.json")).isEmpty();
		}
	}

	@ParameterizedTest
	@MethodSource("stores")
	void ofConcurrentCreateIfAbsentExactlyOneWins(Function<String, ReplicaStore> stores) throws Exception {
		try (ReplicaStore store = fresh(stores)) {
			ExecutorService pool = Executors.newFixedThreadPool(8);
			try {
				List<Callable<ConditionalResult>> contenders = new ArrayList<>();
				for (int i = 0; i < 16; i++) {
					byte[] content = text("owner-" + i);
					contenders.add(() -> store.createIfAbsent("lease/lock.json", content));
				}
				int winners = 0;
				for (Future<ConditionalResult> result : pool.invokeAll(contenders)) {
					winners += result.get().applied() ? 1 : 0;
				}
				assertThat(winners).isEqualTo(1);
			}
			finally {
				pool.shutdownNow();
			}
		}
	}

	@ParameterizedTest
	@MethodSource("stores")
	void ofConcurrentReplaceIfMatchOfOneVersionExactlyOneWinsEveryRound(Function<String, ReplicaStore> stores)
			throws Exception {
		// two followers taking one expired lease at once: S3Proxy's emulated If-Match let both win (seed 50).
		// The stored object decides who won, as the lease does: the SDK retries a request whose answer it
		// lost under load, and that retry is refused by its own first attempt (applied, reported refused).
		try (ReplicaStore store = fresh(stores)) {
			String etag = store.createIfAbsent("lease/lock.json", text("expired")).etag();
			ExecutorService pool = Executors.newFixedThreadPool(8);
			try {
				for (int round = 0; round < 20; round++) {
					String current = etag;
					List<byte[]> contents = new ArrayList<>();
					List<Callable<ConditionalResult>> contenders = new ArrayList<>();
					for (int i = 0; i < 8; i++) {
						byte[] content = text("round-" + round + "-owner-" + i);
						contents.add(content);
						contenders.add(() -> store.replaceIfMatch("lease/lock.json", content, current));
					}
					List<Future<ConditionalResult>> results = pool.invokeAll(contenders);
					VersionedObject stored = store.getVersioned("lease/lock.json").orElseThrow();
					int winner = indexOf(contents, stored.content());
					assertThat(winner).as("round %d: the stored object is one contender's", round).isNotNegative();
					for (int i = 0; i < results.size(); i++) {
						ConditionalResult result = results.get(i).get();
						if (result.applied()) {
							assertThat(i).as("round %d: a contender told it won, whose write is not stored", round)
								.isEqualTo(winner);
							assertThat(result.etag()).isEqualTo(stored.etag());
						}
					}
					etag = stored.etag();
				}
			}
			finally {
				pool.shutdownNow();
			}
		}
	}

	private static int indexOf(List<byte[]> contents, byte[] content) {
		for (int i = 0; i < contents.size(); i++) {
			if (Arrays.equals(contents.get(i), content)) {
				return i;
			}
		}
		return -1;
	}

	private static byte[] bytes(int size) {
		byte[] bytes = new byte[size];
		new Random(size).nextBytes(bytes);
		return bytes;
	}

	private static byte[] text(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
