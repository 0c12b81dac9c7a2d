/**
 * The replica format behind {@link io.github.s3lite.internal.nativeengine.format.ReplicaFormat}: object
 * layout, encoding, listing and restore planning. {@link io.github.s3lite.internal.nativeengine.format.LitestreamV03Format}
 * is litestream v0.3's; litestream v0.5's LTX can be added beside it.
 */
package io.github.s3lite.internal.nativeengine.format;
