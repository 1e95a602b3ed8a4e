/**
 * The xDS protocol rules for one stream (state of the world and delta), the Secret encoding, content
 * versions and nonces. No transport and no threads: everything here is unit-testable directly.
 */
package dev.meshid.sds.protocol;
