/**
 * The SDS gRPC service and its transports. Start with {@link dev.meshid.sds.server.SdsServer}.
 */
package dev.meshid.sds.server;
