"""The fleet's credentials: one X.509 CA (libvirt server certificates of the
hypervisors, client certificates of the proxies and of the operator, the
manager's server certificate) made with certtool, and an ssh host CA that
certifies the proxies' host keys."""

import os
import subprocess

# Subject organisation of every certificate the fleet issues.
ORG = "vmconsole-proxy fleet"


def _run(argv, **kw):
    res = subprocess.run(argv, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, timeout=120, **kw)
    if res.returncode != 0:
        raise RuntimeError("%s failed (exit %d): %s" % (
            " ".join(argv), res.returncode,
            res.stdout.decode(errors="replace")[-1500:]))
    return res.stdout.decode(errors="replace")


def _template(path, lines):
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def _key(path):
    # RSA: libvirt insists on key encipherment, which ECDSA cannot offer.
    _run(["certtool", "--generate-privkey", "--key-type=rsa",
          "--bits=2048", "--outfile", path])
    os.chmod(path, 0o600)


class Pki:
    """Certificates under directory d; every method is idempotent within
    one bring-up (a fresh directory each time)."""

    def __init__(self, d):
        self.dir = d
        self.ca_key = os.path.join(d, "ca.key")
        self.ca = os.path.join(d, "cacert.pem")
        self.ssh_ca = os.path.join(d, "ssh_host_ca")

    def make_ca(self):
        os.makedirs(self.dir, mode=0o755, exist_ok=True)
        _key(self.ca_key)
        tmpl = os.path.join(self.dir, "ca.info")
        _template(tmpl, ['organization = "%s"' % ORG,
                         'cn = "vmconsole-proxy fleet CA"',
                         "ca", "cert_signing_key", "expiration_days = 30"])
        _run(["certtool", "--generate-self-signed", "--load-privkey",
              self.ca_key, "--template", tmpl, "--outfile", self.ca])
        os.chmod(self.ca, 0o644)
        _run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C",
              "vmconsole-proxy fleet host CA", "-f", self.ssh_ca])

    def _issue(self, name, lines, cert_name, key_name, out_dir,
               expired=False):
        os.makedirs(out_dir, mode=0o755, exist_ok=True)
        key = os.path.join(out_dir, key_name)
        cert = os.path.join(out_dir, cert_name)
        _key(key)
        tmpl = os.path.join(self.dir, name + ".info")
        if expired:
            validity = ['activation_date = "2020-01-01 00:00:00 UTC"',
                        'expiration_date = "2021-01-01 00:00:00 UTC"']
        else:
            validity = ["expiration_days = 30"]
        _template(tmpl, ['organization = "%s"' % ORG] + lines + validity)
        _run(["certtool", "--generate-certificate", "--load-privkey", key,
              "--load-ca-certificate", self.ca, "--load-ca-privkey",
              self.ca_key, "--template", tmpl, "--outfile", cert])
        os.chmod(cert, 0o644)
        return cert, key

    def server(self, out_dir, host, address):
        """libvirtd's serverkey.pem/servercert.pem for host, with its name
        and address as subject alternative names."""
        return self._issue(host, ['cn = "%s"' % host, 'dns_name = "%s"' % host,
                                  'ip_address = "%s"' % address,
                                  "tls_www_server", "encryption_key",
                                  "signing_key"],
                           "servercert.pem", "serverkey.pem", out_dir)

    def web_server(self, out_dir, address):
        """The manager's HTTPS certificate."""
        return self._issue("manager", ['cn = "%s"' % address,
                                       'ip_address = "%s"' % address,
                                       "tls_www_server", "signing_key"],
                           "manager.pem", "manager.key", out_dir)

    def client(self, out_dir, cn, expired=False):
        """A libvirt PKI directory for a client: cacert.pem,
        clientcert.pem and clientkey.pem, the layout pkipath= expects."""
        cert, key = self._issue(cn, ['cn = "%s"' % cn, "tls_www_client",
                                     "encryption_key", "signing_key"],
                                "clientcert.pem", "clientkey.pem", out_dir,
                                expired)
        with open(self.ca, "rb") as src, \
                open(os.path.join(out_dir, "cacert.pem"), "wb") as dst:
            dst.write(src.read())
        return cert, key

    def sign_host_key(self, pubkey, identity, principals):
        """Certifies an ssh host public key; returns the certificate's
        path (next to the key, as sshd and vmconsole-proxy-sshd-keygen
        expect)."""
        _run(["ssh-keygen", "-q", "-s", self.ssh_ca, "-h", "-I", identity,
              "-n", ",".join(principals), "-V", "-5m:+30d", pubkey])
        return pubkey[:-len(".pub")] + "-cert.pub"

    def ssh_ca_public(self):
        with open(self.ssh_ca + ".pub") as f:
            return " ".join(f.read().split()[:2])


def dn_of(cert):
    """The certificate's subject the way libvirtd compares it against
    tls_allowed_dn_list (virt-pki-query-dn)."""
    return _run(["virt-pki-query-dn", cert]).strip()
