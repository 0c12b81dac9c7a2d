package io.github.s3lite.autoconfigure;

import javax.sql.DataSource;

import org.springframework.boot.autoconfigure.AbstractDependsOnBeanFactoryPostProcessor;

/**
 * Makes every {@link DataSource} bean, including one the application defines, depend on
 * {@value #REPLICATION_BEAN}, which restores the database and starts replication. No connection can
 * therefore be opened before the restore, and every pool is closed before replication stops.
 */
final class DataSourceDependsOnReplicationPostProcessor extends AbstractDependsOnBeanFactoryPostProcessor {

	static final String REPLICATION_BEAN = "s3liteReplication";

	DataSourceDependsOnReplicationPostProcessor() {
		super(DataSource.class, REPLICATION_BEAN);
	}

}
