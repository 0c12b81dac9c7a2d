package io.github.s3lite.autoconfigure;

import java.time.Clock;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import io.github.s3lite.actuate.S3liteEndpoint;
import io.github.s3lite.internal.lease.LeaseRole;
import io.github.s3lite.internal.lifecycle.DatabaseLifecycle;
import io.github.s3lite.actuate.S3liteEndpointWebExtension;
import io.github.s3lite.replication.Replication;
import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.internal.verification.ReplicaVerifier;

/**
 * Auto-configuration of the {@code s3lite} actuator endpoint, when the actuator is present and the
 * endpoint is exposed.
 */
@AutoConfiguration(after = S3liteAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean({ Replication.class, ReplicaVerifier.class })
@ConditionalOnAvailableEndpoint(S3liteEndpoint.class)
public final class S3liteEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	S3liteEndpoint s3liteEndpoint(Replication replication, ReplicaVerifier verifier,
			ObjectProvider<LeaseRole> leaseRole, ObjectProvider<DatabaseLifecycle> lifecycle,
			ObjectProvider<ReplicatingDataSource> dataSources) {
		S3liteEndpoint endpoint = new S3liteEndpoint(replication, verifier, Clock.systemUTC(), leaseRole.getIfUnique());
		lifecycle.ifUnique(endpoint::withLifecycle);
		dataSources.orderedStream()
			.filter((dataSource) -> dataSource.getReplication() == replication)
			.findFirst()
			.ifPresent(endpoint::withDataSource);
		return endpoint;
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(S3liteEndpoint.class)
	@ConditionalOnAvailableEndpoint(endpoint = S3liteEndpoint.class, exposure = EndpointExposure.WEB)
	S3liteEndpointWebExtension s3liteEndpointWebExtension(S3liteEndpoint endpoint) {
		return new S3liteEndpointWebExtension(endpoint);
	}

}
