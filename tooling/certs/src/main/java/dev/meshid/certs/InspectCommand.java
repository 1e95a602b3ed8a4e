package dev.meshid.certs;

import dev.meshid.pki.PkiException;
import dev.meshid.pki.pem.Pem;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code meshid certs inspect}: every certificate in every file, readable. Private keys are recognised and
 * named by type only; nothing of them is printed.
 */
@Command(name = "inspect", header = "Show the certificates in PEM files, readably.", sortOptions = false,
        description = {"Show each certificate in each PEM file: subject, issuer, SANs, SPIFFE ID, validity and",
                "time left, key, CA or leaf, key usages, serial and SHA-256 fingerprint. Private keys are only",
                "named by type, never printed. Exits 1 if a file cannot be read."})
final class InspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "PEM files: certificates, bundles, chains, keys.")
    List<Path> files;

    private final CertsContext context;

    InspectCommand(CertsContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Instant now = context.clock().instant();
        int failures = 0;
        for (int f = 0; f < files.size(); f++) {
            if (f > 0) {
                out.println();
            }
            Path file = files.get(f);
            try {
                describe(file, out, now);
            } catch (CertsFailure e) {
                failures++;
                out.println(file + ": cannot inspect (see error)");
                err.println(spec.qualifiedName() + ": " + e.getMessage());
            }
        }
        out.flush();
        err.flush();
        return failures == 0 ? 0 : 1;
    }

    private void describe(Path file, PrintWriter out, Instant now) throws CertsFailure {
        List<PemObject> blocks;
        try {
            blocks = Pem.blocks(CaDirectory.text(file));
        } catch (PkiException e) {
            throw new CertsFailure(file + ": " + e.getMessage());
        }
        List<X509Certificate> certs = new ArrayList<>();
        for (PemObject b : blocks) {
            if (b.getType().equals("CERTIFICATE")) {
                try {
                    certs.add(Pem.parseCertificate(b.getContent(), "a CERTIFICATE block"));
                } catch (PkiException e) {
                    throw new CertsFailure(file + ": " + e.getMessage());
                }
            }
        }
        if (blocks.size() == 1) {
            PemObject b = blocks.get(0);
            out.println(file + ": " + title(b));
            if (!certs.isEmpty()) {
                CertificateText.lines(certs.get(0), certs, now).forEach(out::println);
            }
            return;
        }
        boolean allCertificates = certs.size() == blocks.size();
        out.println(file + ": " + (allCertificates ? certs.size() + " certificates"
                : blocks.size() + " PEM blocks, " + certs.size()
                        + (certs.size() == 1 ? " certificate" : " certificates")));
        int certIndex = 0;
        for (int i = 0; i < blocks.size(); i++) {
            PemObject b = blocks.get(i);
            String position = (allCertificates ? "certificate " : "block ") + (i + 1) + " of " + blocks.size();
            out.println(allCertificates ? position : position + ": " + title(b));
            if (b.getType().equals("CERTIFICATE")) {
                CertificateText.lines(certs.get(certIndex++), certs, now).forEach(out::println);
            }
        }
    }

    private static String title(PemObject b) {
        if (b.getType().equals("CERTIFICATE")) {
            return "certificate";
        }
        if (b.getType().endsWith("PRIVATE KEY")) {
            return privateKey(b) + "; nothing else of it is shown";
        }
        if (b.getType().endsWith("CERTIFICATE REQUEST")) {
            return csr(b);
        }
        return "a " + b.getType() + " block (not shown)";
    }

    /** Names the key type by parsing it; neither the key nor any part of it is ever printed. */
    private static String privateKey(PemObject block) {
        if (block.getType().equals("ENCRYPTED PRIVATE KEY")) {
            return "an encrypted private key";
        }
        try {
            PrivateKey key = Pem.readPrivateKey(pem(block));
            String type;
            if (key instanceof RSAKey rsa) {
                type = "RSA " + rsa.getModulus().bitLength();
            } else if (key instanceof ECKey ec) {
                type = "EC P-" + ec.getParams().getCurve().getField().getFieldSize();
            } else {
                type = key.getAlgorithm();
            }
            return "a private key of type " + type + " (" + block.getType() + ")";
        } catch (PkiException e) {
            return "a private key block (" + block.getType() + ") that cannot be read";
        }
    }

    private static String csr(PemObject block) {
        try {
            PKCS10CertificationRequest csr = Pem.readCsr(pem(block));
            String subject = csr.getSubject().toString();
            return "a certificate request, subject " + (subject.isEmpty() ? "(empty)" : subject);
        } catch (PkiException e) {
            return "a certificate request that cannot be read: " + e.getMessage();
        }
    }

    private static String pem(PemObject block) {
        StringWriter sw = new StringWriter();
        try (PemWriter w = new PemWriter(sw)) {
            w.writeObject(block);
        } catch (IOException e) {
            throw new IllegalStateException("cannot re-encode a PEM block in memory", e);
        }
        return sw.toString();
    }
}
