package io.github.s3lite.test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.ArrayList;
import java.util.List;

import org.gaul.s3proxy.S3Proxy;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3 API for tests: S3Proxy in-process on 127.0.0.1 over an in-memory store, with SigV4
 * authentication checked and conditional writes made atomic ({@link AtomicConditionalWrites}). It can be stopped and started again on the same port with the same data, to
 * simulate an outage, and its listings can be made to lag its writes ({@link #lagListings(Duration)}).
 */
public final class S3ProxyServer implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

	/** Access key ID accepted by the server. */
	public static final String ACCESS_KEY = "s3lite-test-access-key";

	/** Secret key accepted by the server; holds '$' to prove nothing expands it. */
	public static final String SECRET_KEY = "s3lite-T3st$ecret/Key+with$HOME";

	private final ListingLag listingLag = new ListingLag(new AtomicConditionalWrites(new TransientNio2BlobStore()));

	private final BlobStore blobStore = this.listingLag;

	private S3Proxy proxy;

	private int port;

	private String bucket;

	private S3ProxyServer() {
	}

	/**
	 * Return a server for a test class, started with the bucket created before the class's tests and
	 * closed after them: {@code @RegisterExtension static final S3ProxyServer s3 =
	 * S3ProxyServer.withBucket("name");}.
	 * @param bucket the bucket to create
	 * @return the server, not yet started
	 */
	public static S3ProxyServer withBucket(String bucket) {
		S3ProxyServer server = new S3ProxyServer();
		server.bucket = bucket;
		return server;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		startOn(0);
		createBucket(this.bucket);
	}

	@Override
	public void afterAll(ExtensionContext context) {
		close();
	}

	/**
	 * Start a server on a free loopback port.
	 * @return the running server
	 */
	public static S3ProxyServer start() {
		S3ProxyServer server = new S3ProxyServer();
		server.startOn(0);
		return server;
	}

	private synchronized void startOn(int requestedPort) {
		try {
			this.proxy = S3Proxy.builder()
				.blobStore(this.blobStore)
				.endpoint(URI.create("http://127.0.0.1:" + requestedPort))
				.awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
				.build();
			this.proxy.start();
			long deadline = System.currentTimeMillis() + 10_000;
			while (!"STARTED".equals(this.proxy.getState())) {
				if (System.currentTimeMillis() > deadline) {
					throw new IllegalStateException("S3Proxy did not start: " + this.proxy.getState());
				}
				Thread.sleep(5);
			}
			this.port = this.proxy.getPort();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not start S3Proxy on 127.0.0.1:" + requestedPort, ex);
		}
	}

	/**
	 * Return the endpoint, e.g. {@code http://127.0.0.1:41234}.
	 * @return the endpoint
	 */
	public String endpoint() {
		return "http://127.0.0.1:" + this.port;
	}

	/**
	 * Return the port.
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * Return the s3lite properties that restore a database from, and replicate it to, a replica on
	 * this server.
	 * @param database the local database file ({@code s3lite.path})
	 * @param replica the replica URL, e.g. {@code s3://bucket/prefix}
	 * @return the properties, as {@code name=value} strings
	 */
	public String[] s3liteProperties(java.nio.file.Path database, String replica) {
		return new String[] { "s3lite.path=" + database, "s3lite.restore-from=" + replica,
				"s3lite.backup-to=" + replica, "s3lite.s3.endpoint=" + endpoint(),
				"s3lite.s3.access-key-id=" + ACCESS_KEY, "s3lite.s3.secret-access-key=" + SECRET_KEY };
	}

	/**
	 * Create a bucket.
	 * @param bucket the bucket name
	 * @return the bucket name
	 */
	public String createBucket(String bucket) {
		this.blobStore.createContainer(bucket);
		return bucket;
	}

	/**
	 * List the keys under a prefix.
	 * @param bucket the bucket
	 * @param prefix the prefix
	 * @return the keys
	 */
	public List<String> keys(String bucket, String prefix) {
		List<String> keys = new ArrayList<>();
		String token = null;
		do {
			ListObjectsV2Request.Builder request = ListObjectsV2Request.builder().bucket(bucket).prefix(prefix);
			if (token != null) {
				request.continuationToken(token);
			}
			ListObjectsV2Response response = this.blobStore.list(request.build());
			for (S3Object object : response.contents()) {
				keys.add(object.key());
			}
			token = Boolean.TRUE.equals(response.isTruncated()) ? response.nextContinuationToken() : null;
		}
		while (token != null);
		return keys;
	}

	/**
	 * Store an object.
	 * @param bucket the bucket
	 * @param key the key
	 * @param content the content
	 */
	public void putObject(String bucket, String key, byte[] content) {
		this.blobStore.putBlob(PutObjectRequest.builder().bucket(bucket).key(key).contentLength((long) content.length).build(),
				new ByteArrayInputStream(content));
	}

	/**
	 * Read an object.
	 * @param bucket the bucket
	 * @param key the key
	 * @return its content, or {@code null} when there is no such object
	 */
	public byte[] getObject(String bucket, String key) {
		if (this.blobStore.blobMetadataIfPresent(bucket, key) == null) {
			return null;
		}
		try (InputStream in = this.blobStore.getBlob(bucket, key)) {
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not read " + key, ex);
		}
	}

	/**
	 * Return every object under a prefix with the SHA-256 of its content, to prove a replica unchanged.
	 * @param bucket the bucket
	 * @param prefix the prefix
	 * @return key to hex SHA-256, sorted by key
	 */
	public Map<String, String> objectHashes(String bucket, String prefix) {
		Map<String, String> hashes = new TreeMap<>();
		for (String key : keys(bucket, prefix)) {
			try (InputStream in = this.blobStore.getBlob(bucket, key)) {
				hashes.put(key, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes())));
			}
			catch (IOException | NoSuchAlgorithmException ex) {
				throw new IllegalStateException("Could not read " + key, ex);
			}
		}
		return hashes;
	}

	/**
	 * Delete every object under a prefix.
	 * @param bucket the bucket
	 * @param prefix the prefix
	 */
	public void deletePrefix(String bucket, String prefix) {
		for (String key : keys(bucket, prefix)) {
			this.blobStore.removeBlob(bucket, key);
		}
	}

	/**
	 * Make listings lag the writes made from now on by a random delay up to {@code lag} each (an
	 * eventually consistent store); {@link Duration#ZERO} ends it.
	 * @param lag the longest delay
	 */
	public void lagListings(Duration lag) {
		this.listingLag.set(lag);
	}

	/**
	 * Make listings lag the writes made from now on by a random delay between {@code shortest} and
	 * {@code longest} each; equal bounds give every write the same delay (they show in the order written).
	 * @param shortest the shortest delay
	 * @param longest the longest delay
	 */
	public void lagListings(Duration shortest, Duration longest) {
		this.listingLag.set(shortest, longest);
	}

	/**
	 * Stop serving; the data is kept for {@link #restart()}.
	 */
	public synchronized void stop() {
		try {
			if (this.proxy != null) {
				this.proxy.stop();
				this.proxy = null;
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not stop S3Proxy", ex);
		}
	}

	/**
	 * Serve again on the same port with the same data.
	 */
	public synchronized void restart() {
		if (this.proxy == null) {
			startOn(this.port);
		}
	}

	@Override
	public void close() {
		stop();
	}

}
