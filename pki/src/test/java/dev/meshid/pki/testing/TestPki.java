package dev.meshid.pki.testing;

import dev.meshid.pki.PkiException;
import dev.meshid.pki.cert.CaSigner;
import dev.meshid.pki.cert.CertificateIssuer;
import dev.meshid.pki.cert.IntermediateSpec;
import dev.meshid.pki.cert.RootSpec;
import dev.meshid.pki.cert.SvidSpec;
import dev.meshid.pki.crypto.KeyAlgorithm;
import dev.meshid.pki.crypto.Keys;
import dev.meshid.pki.id.SpiffeId;
import dev.meshid.pki.id.TrustDomain;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Fluent test PKI, issued through the production {@link CertificateIssuer} so fixtures carry the real
 * profiles, with every input explicit when a test cares: key type, validity, clock, serial, randomness.
 *
 * <pre>{@code
 * TestPki.Issued root = TestPki.root("Root CA").ec().validFor(Duration.ofDays(10)).at(clock).build();
 * TestPki.Issued ca = root.intermediate("Intermediate CA").rsa().build();
 * TestPki.Issued leaf = ca.svid("spiffe://cluster.local/ns/default/sa/web").build();
 * }</pre>
 *
 * Children inherit the parent's clock and randomness unless set. Keys are generated at test time.
 */
public final class TestPki {
    /** Default subject organisation of generated CAs. */
    public static final String ORG = "meshid test";

    private TestPki() {
    }

    /** A self-signed root with subject {@code O=meshid test, CN=<cn>}, 10 days, EC P-256. */
    public static Builder root(String cn) {
        return new Builder(Kind.ROOT, null, cn, null);
    }

    private enum Kind { ROOT, INTERMEDIATE, SVID }

    /** An issued certificate, its key pair, and the chain above it. */
    public record Issued(KeyPair keyPair, X509Certificate cert, List<X509Certificate> issuers, Clock clock,
            SecureRandom random) {
        public Issued {
            issuers = List.copyOf(issuers);
        }

        public PrivateKey key() {
            return keyPair.getPrivate();
        }

        /** This certificate as a signing CA. */
        public CaSigner signer() {
            return new CaSigner(cert, keyPair.getPrivate());
        }

        /** The root at the top of the chain (this certificate, for a root). */
        public X509Certificate root() {
            return issuers.isEmpty() ? cert : issuers.get(issuers.size() - 1);
        }

        /** The certificates between this one and the root, exclusive, nearest first. */
        public List<X509Certificate> intermediates() {
            return issuers.isEmpty() ? List.of() : issuers.subList(0, issuers.size() - 1);
        }

        /** This certificate then its intermediates, without the root. */
        public List<X509Certificate> chainWithoutRoot() {
            List<X509Certificate> out = new ArrayList<>();
            out.add(cert);
            out.addAll(intermediates());
            return out;
        }

        /** This certificate, its intermediates and the root. */
        public List<X509Certificate> fullChain() {
            List<X509Certificate> out = new ArrayList<>();
            out.add(cert);
            out.addAll(issuers);
            return out;
        }

        /** An intermediate CA signed by this one, subject {@code O=meshid test, CN=<cn>}. */
        public Builder intermediate(String cn) {
            return new Builder(Kind.INTERMEDIATE, this, cn, null);
        }

        /** An X509-SVID signed by this CA. */
        public Builder svid(SpiffeId id) {
            return new Builder(Kind.SVID, this, null, id);
        }

        public Builder svid(String spiffeId) {
            return svid(SpiffeId.parse(spiffeId));
        }
    }

    /** Builds one certificate; every setting is optional. */
    public static final class Builder {
        private final Kind kind;
        private final Issued parent;
        private final String cn;
        private final SpiffeId id;
        private KeyAlgorithm algorithm = KeyAlgorithm.EC_P256;
        private KeyPair keyPair;
        private Duration validity;
        private Duration backdate;
        private Clock clock;
        private SecureRandom random;
        private BigInteger serial;
        private String subjectDn;
        private TrustDomain trustDomain;
        private boolean nameConstraints;
        private List<String> dnsSans = List.of();
        private int pathLen;

        private Builder(Kind kind, Issued parent, String cn, SpiffeId id) {
            this.kind = kind;
            this.parent = parent;
            this.cn = cn;
            this.id = id;
            this.validity = kind == Kind.SVID ? Duration.ofHours(1) : Duration.ofDays(10);
            if (parent != null) {
                this.clock = parent.clock();
                this.random = parent.random();
            }
        }

        public Builder ec() {
            return key(KeyAlgorithm.EC_P256);
        }

        public Builder ec384() {
            return key(KeyAlgorithm.EC_P384);
        }

        public Builder rsa() {
            return key(KeyAlgorithm.RSA_2048);
        }

        public Builder key(KeyAlgorithm a) {
            this.algorithm = Objects.requireNonNull(a);
            return this;
        }

        /** Use this key pair instead of generating one (e.g. to re-issue a CA with the same key). */
        public Builder keyPair(KeyPair kp) {
            this.keyPair = kp;
            return this;
        }

        /** Requested validity (TTL for SVIDs); children are clamped to their issuer's NotAfter. */
        public Builder validFor(Duration d) {
            this.validity = d;
            return this;
        }

        /** SVID backdate (default 2 minutes). */
        public Builder backdate(Duration d) {
            this.backdate = d;
            return this;
        }

        /** The clock "now" is read from (default: the system clock, or the parent's). */
        public Builder at(Clock c) {
            this.clock = c;
            return this;
        }

        /** The randomness for the serial (default: a new SecureRandom, or the parent's). */
        public Builder random(SecureRandom r) {
            this.random = r;
            return this;
        }

        /** An exact serial number, 1 to 2^128-1. */
        public Builder serial(BigInteger s) {
            if (s.signum() <= 0 || s.bitLength() > 128) {
                throw new IllegalArgumentException("serial must be in 1..2^128-1, got " + s);
            }
            this.serial = s;
            return this;
        }

        /** The full subject DN, instead of {@code O=meshid test, CN=<cn>} (SVIDs: instead of empty). */
        public Builder subject(String dn) {
            this.subjectDn = dn;
            return this;
        }

        /** URI SAN {@code spiffe://<td>} on a CA, and for intermediates optionally URI name constraints. */
        public Builder trustDomain(String td, boolean uriNameConstraints) {
            this.trustDomain = TrustDomain.parse(td);
            this.nameConstraints = uriNameConstraints;
            return this;
        }

        public Builder dnsSans(String... names) {
            this.dnsSans = List.of(names);
            return this;
        }

        public Builder pathLen(int n) {
            this.pathLen = n;
            return this;
        }

        public Issued build() {
            Clock c = clock != null ? clock : Clock.systemUTC();
            SecureRandom r = random != null ? random : new SecureRandom();
            KeyPair kp = keyPair != null ? keyPair : Keys.generate(algorithm);
            CertificateIssuer issuer = new CertificateIssuer(c, serial != null ? new FixedSerial(serial) : r);
            String dn = subjectDn != null ? subjectDn : "O=" + ORG + ", CN=" + cn;
            try {
                X509Certificate cert = switch (kind) {
                    case ROOT -> issuer.selfSignedRoot(new RootSpec(dn, validity, trustDomain), kp);
                    case INTERMEDIATE -> issuer.intermediate(new IntermediateSpec(dn, validity, pathLen, trustDomain,
                            nameConstraints, dnsSans), kp.getPublic(), parent.signer());
                    case SVID -> issuer.svid(new SvidSpec(id, validity, backdate, dnsSans, subjectDn),
                            kp.getPublic(), parent.signer());
                };
                List<X509Certificate> issuers = new ArrayList<>();
                if (parent != null) {
                    issuers.addAll(parent.fullChain());
                }
                return new Issued(kp, cert, issuers, c, r);
            } catch (PkiException e) {
                throw new IllegalStateException("test PKI: " + e.getMessage(), e);
            }
        }
    }

    /**
     * A "random" source that yields one fixed serial: {@link CertificateIssuer} reads its serial as 16
     * big-endian bytes from its SecureRandom, so these are the serial's own bytes.
     */
    private static final class FixedSerial extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private final byte[] bytes = new byte[16];

        FixedSerial(BigInteger serial) {
            byte[] b = serial.toByteArray();
            int n = Math.min(b.length, 16);
            System.arraycopy(b, b.length - n, bytes, 16 - n, n);
        }

        @Override
        public void nextBytes(byte[] out) {
            System.arraycopy(bytes, 0, out, 0, Math.min(out.length, bytes.length));
        }
    }
}
