package io.github.s3lite.autoconfigure;

import java.time.Clock;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

import io.github.s3lite.internal.config.S3liteConfig;
import io.github.s3lite.internal.lease.LeaseRole;
import io.github.s3lite.internal.lifecycle.DatabaseLifecycle;
import io.github.s3lite.health.S3liteHealthIndicator;
import io.github.s3lite.internal.replication.DurableReplication;
import io.github.s3lite.internal.role.RoleWatch;
import io.github.s3lite.replication.Replication;
import io.github.s3lite.internal.verification.ReplicaVerifier;

/**
 * Auto-configuration of the {@code s3lite} health indicator (replication, lease, whether this instance
 * accepts writes, and a follower's staleness), toggled by {@code management.health.s3lite.enabled}.
 */
@AutoConfiguration(after = S3liteAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean({ Replication.class, ReplicaVerifier.class })
@ConditionalOnEnabledHealthIndicator("s3lite")
public final class S3liteHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "s3liteHealthIndicator")
	S3liteHealthIndicator s3liteHealthIndicator(Replication replication, ReplicaVerifier verifier,
			S3liteConfig config, ObjectProvider<LeaseRole> leaseRole, ObjectProvider<DatabaseLifecycle> lifecycle,
			ObjectProvider<RoleWatch> roleWatch) {
		LeaseRole role = leaseRole.getIfUnique();
		S3liteHealthIndicator indicator = new S3liteHealthIndicator(replication, config.operations().maxLag(),
				verifier::lastResult, Clock.systemUTC(), (role != null) ? role::status : null);
		if (role != null) {
			indicator.withLeaseUnreadAtStartup(role::leaseUnreadAtStartup);
		}
		lifecycle.ifUnique(indicator::withLifecycle);
		roleWatch.ifUnique((watch) -> indicator.withFollower(watch::followerStatus, config.lease().refreshInterval()));
		if (config.durableCommits() && replication instanceof DurableReplication durable) {
			indicator.withDurableCommits(durable);
		}
		return indicator;
	}

}
