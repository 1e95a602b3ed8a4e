package dev.meshid.pki.csr;

import dev.meshid.pki.PkiException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/** The subject alternative names a CSR asks for, decoded from its PKCS#9 extensionRequest attribute. */
record RequestedSans(List<URI> uris, List<String> dns, List<String> ips, List<String> emails,
        List<String> other, boolean critical) {

    private static final RequestedSans NONE = new RequestedSans(List.of(), List.of(), List.of(), List.of(),
            List.of(), false);

    /**
     * Decodes the SANs; runtime exceptions from malformed ASN.1 are left to the caller, which turns every
     * one of them into a {@link PkiException}.
     */
    static RequestedSans of(PKCS10CertificationRequest csr, int maxSans) throws PkiException {
        Attribute[] attrs = csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest);
        if (attrs.length == 0) {
            return NONE;
        }
        if (attrs.length > 1 || attrs[0].getAttrValues().size() != 1) {
            throw new PkiException("the CSR has more than one extensionRequest; send exactly one");
        }
        // Extensions.getInstance refuses a repeated extension, so a second SAN extension cannot hide here.
        Extensions exts = Extensions.getInstance(attrs[0].getAttrValues().getObjectAt(0));
        Extension san = exts.getExtension(Extension.subjectAlternativeName);
        if (san == null) {
            return NONE;
        }
        GeneralName[] names = GeneralNames.getInstance(san.getParsedValue()).getNames();
        if (names.length > maxSans) {
            throw new PkiException("the CSR requests " + names.length + " subject alternative names; at most "
                    + maxSans + " are accepted");
        }
        List<URI> uris = new ArrayList<>();
        List<String> dns = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        List<String> emails = new ArrayList<>();
        List<String> other = new ArrayList<>();
        for (GeneralName n : names) {
            switch (n.getTagNo()) {
                case GeneralName.uniformResourceIdentifier -> uris.add(uri(text(n.getName())));
                case GeneralName.dNSName -> dns.add(text(n.getName()));
                case GeneralName.rfc822Name -> emails.add(text(n.getName()));
                case GeneralName.iPAddress -> ips.add(ip(ASN1OctetString.getInstance(n.getName()).getOctets()));
                case GeneralName.directoryName -> other.add("directoryName:" + n.getName());
                case GeneralName.registeredID -> other.add("registeredID:" + n.getName());
                case GeneralName.otherName -> other.add("otherName");
                default -> other.add("generalName[" + n.getTagNo() + "]");
            }
        }
        return new RequestedSans(uris, dns, ips, emails, other, san.isCritical());
    }

    private static String text(ASN1Encodable value) throws PkiException {
        if (!(value instanceof ASN1String s)) {
            throw new PkiException("a subject alternative name is not a string");
        }
        return s.getString();
    }

    private static URI uri(String s) throws PkiException {
        try {
            return new URI(s);
        } catch (URISyntaxException e) {
            throw new PkiException("the URI SAN " + CsrIntake.quote(s) + " is not a valid URI: " + e.getReason());
        }
    }

    private static String ip(byte[] octets) throws PkiException {
        if (octets.length != 4 && octets.length != 16) {
            throw new PkiException("an IP address SAN has " + octets.length + " bytes; expected 4 (IPv4) or 16 (IPv6)");
        }
        try {
            return InetAddress.getByAddress(octets).getHostAddress();
        } catch (UnknownHostException e) {
            throw new PkiException("an IP address SAN cannot be decoded");
        }
    }
}
