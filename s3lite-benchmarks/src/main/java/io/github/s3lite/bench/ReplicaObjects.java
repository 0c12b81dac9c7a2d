package io.github.s3lite.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;

import io.github.s3lite.test.S3ProxyServer;

/**
 * The reference for a restore: plain AWS SDK v2 GETs of a replica's objects into local files, with a
 * path-style client that is built once and warmed up.
 */
final class ReplicaObjects implements AutoCloseable {

	private final S3Client client;

	ReplicaObjects(S3ProxyServer s3) {
		this.client = S3Client.builder()
			.endpointOverride(URI.create(s3.endpoint()))
			.forcePathStyle(true)
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider
				.create(AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)))
			.httpClient(UrlConnectionHttpClient.create())
			.build();
	}

	/**
	 * Return the total size of objects.
	 * @param keys the keys
	 * @return the bytes
	 */
	long size(List<String> keys) {
		long total = 0;
		for (String key : keys) {
			total += this.client.headObject(HeadObjectRequest.builder().bucket(BenchApps.BUCKET).key(key).build())
				.contentLength();
		}
		return total;
	}

	/**
	 * Download objects into a directory, one file each.
	 * @param keys the keys
	 * @param directory the directory, created if needed
	 * @return the bytes downloaded
	 */
	long download(List<String> keys, Path directory) throws Exception {
		Files.createDirectories(directory);
		long total = 0;
		int i = 0;
		for (String key : keys) {
			Path file = directory.resolve("object-" + i++);
			this.client.getObject(GetObjectRequest.builder().bucket(BenchApps.BUCKET).key(key).build(), file);
			total += Files.size(file);
		}
		return total;
	}

	/**
	 * Store one object with a single PUT.
	 * @param key the key
	 * @param content the bytes
	 */
	void put(String key, byte[] content) {
		this.client.putObject(software.amazon.awssdk.services.s3.model.PutObjectRequest.builder()
			.bucket(BenchApps.BUCKET)
			.key(key)
			.build(), software.amazon.awssdk.core.sync.RequestBody.fromBytes(content));
	}

	@Override
	public void close() {
		this.client.close();
	}

}
