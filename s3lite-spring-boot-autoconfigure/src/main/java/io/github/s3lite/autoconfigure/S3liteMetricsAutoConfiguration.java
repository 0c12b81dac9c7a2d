package io.github.s3lite.autoconfigure;

import java.time.Clock;

import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import io.github.s3lite.internal.lease.LeaseRole;
import io.github.s3lite.internal.metrics.DurableCommitMetrics;
import io.github.s3lite.internal.metrics.FollowerMetrics;
import io.github.s3lite.internal.metrics.LeaseMetrics;
import io.github.s3lite.internal.metrics.S3liteMetrics;
import io.github.s3lite.internal.replication.DurableReplication;
import io.github.s3lite.replication.Replication;
import io.github.s3lite.internal.restore.RestoreResult;
import io.github.s3lite.internal.role.RoleWatch;
import io.github.s3lite.internal.verification.ReplicaVerifier;

/**
 * Auto-configuration of s3lite's Micrometer meters, when Micrometer is present.
 */
@AutoConfiguration(after = S3liteAutoConfiguration.class)
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean({ Replication.class, RestoreResult.class, ReplicaVerifier.class })
public final class S3liteMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	S3liteMetrics s3liteMetrics(Replication replication, RestoreResult restore, ReplicaVerifier verifier) {
		return new S3liteMetrics(replication, restore, verifier::lastResult, Clock.systemUTC());
	}

	@Bean
	@ConditionalOnMissingBean
	LeaseMetrics s3liteLeaseMetrics(ObjectProvider<LeaseRole> leaseRole) {
		LeaseRole role = leaseRole.getIfUnique();
		return new LeaseMetrics((role != null) ? role::status : null);
	}

	@Bean
	@ConditionalOnMissingBean
	FollowerMetrics s3liteFollowerMetrics(ObjectProvider<RoleWatch> roleWatch) {
		RoleWatch watch = roleWatch.getIfUnique();
		return new FollowerMetrics((watch != null) ? watch::followerStatus : null, Clock.systemUTC());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty("s3lite.durable-commits")
	DurableCommitMetrics s3liteDurableCommitMetrics(Replication replication) {
		if (!(replication instanceof DurableReplication durable)) {
			throw new IllegalStateException("s3lite.durable-commits=true but the replication (" + replication
					+ ") cannot make commits wait; this is a bug in s3lite");
		}
		return new DurableCommitMetrics(durable);
	}

}
