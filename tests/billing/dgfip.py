"""A stand-in for DGFiP's PayFiP web service, reached the way the real one is.

eopayment's payfip_ws client (zeep over requests) calls https://www.payfip.gouv.fr/tpa/services/
securite, an address written in its bundled WSDL. The test does not touch that code: it sets
HTTPS_PROXY to a local proxy that answers CONNECT to www.payfip.gouv.fr with TLS, under a
certificate of a throw-away CA given to requests through REQUESTS_CA_BUNDLE, and serves the
documented SOAP answers of `creerPaiementSecurise` and `recupererDetailPaiementSecurise`
(PayFiP « Paiement sécurisé » web service; errors as `FonctionnelleErreur` faults: P5 payment
in progress, P1 unknown idop)."""

import datetime
import http.server
import itertools
import ssl
import subprocess
import threading
import xml.etree.ElementTree as ET
import zoneinfo

HOST = "www.payfip.gouv.fr"
TNS = "http://securite.service.tpa.cp.finances.gouv.fr/services/mas_securite/contrat_paiement_securise/PaiementSecuriseService"
ENVELOPE = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body>{}</S:Body>'
    "</S:Envelope>"
)
FIELDS = "dattrans exer heurtrans idOp mel montant numauto numcli objet refdet resultrans saisie"


def make_certificates(directory) -> tuple[str, str, str]:
    """A CA and a certificate for www.payfip.gouv.fr signed by it (openssl from Debian)."""

    def run(*args):
        subprocess.run(["openssl", *args], cwd=directory, check=True, capture_output=True)

    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
        "-days", "2", "-subj", "/CN=Test CA", "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign")  # fmt: skip
    run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "srv.key", "-out", "srv.csr",
        "-subj", f"/CN={HOST}")  # fmt: skip
    (directory / "san.cnf").write_text(f"subjectAltName=DNS:{HOST}\n")
    run("x509", "-req", "-in", "srv.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-out", "srv.pem", "-days", "2", "-extfile", "san.cnf")  # fmt: skip
    return str(directory / "ca.pem"), str(directory / "srv.pem"), str(directory / "srv.key")


class DGFiP:
    """The bank's side: payments created by `creerPaiementSecurise`, settled by the test."""

    def __init__(self, certificates):
        self.ca, cert, key = certificates
        self.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.tls.load_cert_chain(cert, key)
        self.payments = {}  # idop -> fields of RecupererDetailPaiementSecuriseResponse
        self.calls = []  # (operation, idop)
        self.lock = threading.Lock()
        self._ids = itertools.count(1)
        dgfip = self

        class Soap(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                status, xml = dgfip.answer(ET.fromstring(body))
                data = ENVELOPE.format(xml).encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/xml; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        class Proxy(http.server.BaseHTTPRequestHandler):
            def do_CONNECT(self):
                if self.path != f"{HOST}:443":
                    self.send_error(403)
                    return
                self.send_response(200, "Connection established")
                self.end_headers()
                with dgfip.tls.wrap_socket(self.connection, server_side=True) as tls:
                    Soap(tls, self.client_address, self.server)
                self.close_connection = True

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.proxy = f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    # --- the web service ---

    def answer(self, envelope) -> tuple[int, str]:
        body = next(iter(envelope.find("{http://schemas.xmlsoap.org/soap/envelope/}Body")))
        operation = body.tag.split("}")[-1]
        args = {el.tag.split("}")[-1]: el.text for el in body.iter()}
        with self.lock:
            self.calls.append((operation, args.get("idOp")))
            if operation == "creerPaiementSecurise":
                idop = f"{next(self._ids):020d}"
                self.payments[idop] = {
                    name: args.get(name)
                    for name in ("exer", "mel", "montant", "numcli", "objet", "refdet", "saisie")
                } | {"idOp": idop}
                return 200, self._response(operation, f"<idOp>{idop}</idOp>")
            if operation == "recupererDetailPaiementSecurise":
                detail = self.payments.get(args.get("idOp"))
                if detail is None:
                    return 500, self._fault("P1", "IdOp incorrect.")
                if not detail.get("resultrans"):
                    return 500, self._fault("P5", "Résultat de la transaction non connu.")
                fields = "".join(f"<{n}>{detail[n]}</{n}>" for n in FIELDS.split() if detail.get(n))
                return 200, self._response(operation, fields)
        return 500, self._fault("P0", "opération inconnue")

    @staticmethod
    def _response(operation, fields) -> str:
        tag = f"ns2:{operation}Response"
        return f'<{tag} xmlns:ns2="{TNS}"><return>{fields}</return></{tag}>'

    @staticmethod
    def _fault(code, label) -> str:
        return (
            "<S:Fault><faultcode>S:Server</faultcode>"
            "<faultstring>fr.gouv.finances.cp.tpa.webservice.exceptions.FonctionnelleErreur</faultstring>"
            f'<detail><ns2:FonctionnelleErreur xmlns:ns2="{TNS}"><code>{code}</code>'
            f"<descriptif>{label}</descriptif><libelle>{label}</libelle><severite>2</severite>"
            "</ns2:FonctionnelleErreur></detail></S:Fault>"
        )

    # --- what the parent does at the bank ---

    def settle(self, idop, resultrans="P", **changes):
        """The parent pays (P), is refused (R) or cancels (A) on PayFiP's page."""
        now = datetime.datetime.now(zoneinfo.ZoneInfo("Europe/Paris"))
        with self.lock:
            self.payments[idop].update(
                resultrans=resultrans,
                dattrans=now.strftime("%d%m%Y"),
                heurtrans=now.strftime("%H%M"),
                numauto="A1B2C3" if resultrans == "P" else "",
                **changes,
            )

    def queries(self, idop) -> int:
        return sum(
            1 for op, i in self.calls if op == "recupererDetailPaiementSecurise" and i == idop
        )
