package io.github.s3lite.internal.nativeengine.format;

import java.util.List;

/**
 * The segments of one WAL index to concatenate, in offset order, the first at offset 0.
 *
 * @param index the WAL index
 * @param segments the segments
 */
public record WalIndexPlan(long index, List<WalSegmentInfo> segments) {

}
