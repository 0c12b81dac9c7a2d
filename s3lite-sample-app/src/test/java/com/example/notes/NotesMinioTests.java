package com.example.notes;

import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;

@SpringBootTest
@Testcontainers(disabledWithoutDocker = true)
class NotesMinioTests {

	@Container
	@ServiceConnection
	static MinIOContainer minio = new MinIOContainer("minio/minio:RELEASE.2023-09-04T19-57-37Z");

	@BeforeAll
	static void createBucket() {
		// litestream never creates buckets: create the one named in s3lite.backup-to yourself,
		// e.g. with the AWS SDK (endpointOverride(minio.getS3URL()), forcePathStyle(true)) or
		// minio.execInContainer("mc", ...)
	}

}
