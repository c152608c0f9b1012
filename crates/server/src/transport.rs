//! How browsers reach the server, and what every answer says to them about it: TLS ended by
//! the server itself (rustls) or by a reverse proxy in front of it, whose forwarded headers
//! are believed from its own addresses alone; the security headers of every response, HSTS
//! and `Secure` cookies when the pages travel over HTTPS.

use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::sync::Arc;

/// The policy the pages are written to: script and style from the server's own files only
/// (no inline script, no `style` attribute), no plugin, no framing, forms posted home.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// How long a browser that saw HSTS keeps to HTTPS: a year.
pub const HSTS: &str = "max-age=31536000";

/// How the server is reached.
#[derive(Clone, Default)]
pub struct Transport {
    /// TLS ended here, with this configuration.
    pub tls: Option<Arc<tokio_rustls::rustls::ServerConfig>>,
    /// The reverse proxies in front of the server (`--behind-proxy`): they end HTTPS, and the
    /// last address of their `X-Forwarded-For` is the client's. A request from another address
    /// carrying a forwarded header is refused.
    pub proxies: Vec<IpAddr>,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transport")
            .field("tls", &self.tls.is_some())
            .field("proxies", &self.proxies)
            .finish()
    }
}

/// The headers a proxy sets to say who asked and how: believed from a trusted proxy, refused
/// from anyone else.
const FORWARDED: [&str; 4] = [
    "forwarded",
    "x-forwarded-for",
    "x-forwarded-proto",
    "x-forwarded-host",
];

impl Transport {
    /// Whether browsers reach the pages over HTTPS: cookies are then `Secure` and HSTS sent.
    pub fn https(&self) -> bool {
        self.tls.is_some() || !self.proxies.is_empty()
    }

    /// Whether `peer` is one of the trusted proxies.
    pub fn is_proxy(&self, peer: IpAddr) -> bool {
        let peer = canonical(peer);
        self.proxies.iter().any(|p| canonical(*p) == peer)
    }

    /// The client of a request that came from `peer`: the peer itself, or, from a trusted
    /// proxy, the last address its `X-Forwarded-For` names. `Err` for a forwarded header that
    /// no trusted proxy sent, or a trusted proxy's that does not read.
    pub fn client(&self, peer: SocketAddr, headers: &HeaderMap) -> Result<SocketAddr, String> {
        let forwarded = FORWARDED.iter().find(|h| headers.contains_key(**h));
        if !self.is_proxy(peer.ip()) {
            return match forwarded {
                Some(h) if !self.proxies.is_empty() => Err(format!(
                    "the header {h} is believed only from the trusted proxy; this request came from {}",
                    peer.ip()
                )),
                // Not behind a proxy: such headers say nothing the server uses.
                _ => Ok(peer),
            };
        }
        // The proxy appends the client last, to the last of the header's lines.
        let Some(list) = headers.get_all("x-forwarded-for").iter().next_back() else {
            return Ok(peer);
        };
        let last = list
            .to_str()
            .ok()
            .and_then(|v| v.rsplit(',').next())
            .map(str::trim)
            .and_then(|v| v.parse::<IpAddr>().ok())
            .ok_or_else(|| {
                "the proxy's X-Forwarded-For does not end with an IP address".to_string()
            })?;
        Ok(SocketAddr::new(last, 0))
    }
}

fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// Sets the security headers of one answer; over HTTPS also HSTS, and `Secure` on every
/// cookie it sets.
pub fn secure_headers(headers: &mut HeaderMap, https: bool) {
    let fixed: [(HeaderName, &'static str); 5] = [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
    ];
    for (name, value) in fixed {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
        let cookies: Vec<HeaderValue> = headers
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| match v.to_str() {
                Ok(text) if !text.contains("; Secure") => {
                    HeaderValue::from_str(&format!("{text}; Secure")).unwrap_or_else(|_| v.clone())
                }
                _ => v.clone(),
            })
            .collect();
        headers.remove(header::SET_COOKIE);
        for c in cookies {
            headers.append(header::SET_COOKIE, c);
        }
    }
}

/// The TLS configuration of a certificate chain and its private key, both PEM files; an
/// error names the file and what is wrong with it.
pub fn tls_config(
    cert: &Path,
    key: &Path,
) -> Result<Arc<tokio_rustls::rustls::ServerConfig>, String> {
    use rustls_pki_types::pem::PemObject;
    use rustls_pki_types::{CertificateDer, PrivateKeyDer};
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .map_err(|e| format!("{}: cannot read the certificate: {e}", cert.display()))?
        .collect::<Result<_, _>>()
        .map_err(|e| format!("{}: not a PEM certificate chain: {e}", cert.display()))?;
    if chain.is_empty() {
        return Err(format!(
            "{}: no certificate in it (a PEM file with -----BEGIN CERTIFICATE----- is expected)",
            cert.display()
        ));
    }
    private_file(key)?;
    let private = PrivateKeyDer::from_pem_file(key)
        .map_err(|e| format!("{}: not a PEM private key: {e}", key.display()))?;
    // ring's provider has no post-quantum key exchange (aws-lc-rs would, at the price of a
    // large C build on every machine); a proxy in front can offer one (docs/deploy.md).
    #[allow(deprecated)]
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let mut config = tokio_rustls::rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS cannot be set up: {e}"))?
        .with_no_client_auth()
        .with_single_cert(chain, private)
        .map_err(|e| {
            format!(
                "{} and {} do not make a TLS identity: {e}",
                cert.display(),
                key.display()
            )
        })?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// Refuses a secret file that others than its owner may read or change (on Unix).
pub fn private_file(path: &Path) -> Result<(), String> {
    let meta =
        std::fs::metadata(path).map_err(|e| format!("{}: cannot read it: {e}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(format!(
                "{} can be read by others than its owner (mode {mode:o}): a private key must not be; run `chmod 600 {}`",
                path.display(),
                path.display()
            ));
        }
    }
    let _ = meta;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn forwarded_addresses_count_from_the_proxy_alone() {
        let proxy: SocketAddr = "10.0.0.1:4000".parse().unwrap();
        let stranger: SocketAddr = "203.0.113.9:4000".parse().unwrap();
        let t = Transport {
            tls: None,
            proxies: vec!["10.0.0.1".parse().unwrap()],
        };
        let fwd = headers(&[("x-forwarded-for", "198.51.100.7, 192.0.2.44")]);
        assert_eq!(
            t.client(proxy, &fwd).unwrap().ip(),
            "192.0.2.44".parse::<IpAddr>().unwrap(),
            "the address the proxy itself appended"
        );
        assert!(
            t.client(stranger, &fwd)
                .unwrap_err()
                .contains("trusted proxy")
        );
        assert_eq!(t.client(stranger, &HeaderMap::new()).unwrap(), stranger);
        // A client's own header line first, the proxy's appended as a second line.
        let mut lines = headers(&[("x-forwarded-for", "192.0.2.1")]);
        lines.append("x-forwarded-for", HeaderValue::from_static("192.0.2.44"));
        assert_eq!(
            t.client(proxy, &lines).unwrap().ip(),
            "192.0.2.44".parse::<IpAddr>().unwrap(),
            "the last line is the proxy's"
        );
        let bad = headers(&[("x-forwarded-for", "somewhere")]);
        assert!(t.client(proxy, &bad).is_err());
        // Without a proxy the header is not believed, and not refused.
        let direct = Transport::default();
        assert_eq!(direct.client(stranger, &fwd).unwrap(), stranger);
    }

    #[test]
    fn over_https_cookies_are_secure_and_hsts_is_sent() {
        let mut h = headers(&[("set-cookie", "a=1; HttpOnly")]);
        secure_headers(&mut h, true);
        assert_eq!(h["set-cookie"], "a=1; HttpOnly; Secure");
        assert_eq!(h["strict-transport-security"], HSTS);
        let mut h = headers(&[("set-cookie", "a=1; HttpOnly")]);
        secure_headers(&mut h, false);
        assert_eq!(h["set-cookie"], "a=1; HttpOnly");
        assert!(!h.contains_key("strict-transport-security"));
        assert_eq!(h["x-content-type-options"], "nosniff");
    }
}
