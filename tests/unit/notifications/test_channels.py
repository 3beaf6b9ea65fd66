"""Each channel against a local stand-in for its provider, which records what it received:
the documented parameters, a signature the stand-in can check, errors without the address."""

from __future__ import annotations

import datetime as dt
import json
import ssl
from dataclasses import replace

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from services.notifications.settings import NotificationsSettings
from services.notifications.usecases.channels import ChannelError, Message
from services.notifications.usecases.channels.email import SmtpChannel
from services.notifications.usecases.channels.signing import aliyun_signature, tencent_authorization
from services.notifications.usecases.channels.sms import AliyunSms, TencentSms
from services.notifications.usecases.channels.wechat import WeChatTemplates
from tests.support.mailbox import Mailbox

from .standin import StandIn

MOBILE = "13912345678"
CALLED = Message(
    "ticket.called", "zh-Hans", "C007号：请到3号窗口办理。", "社区服务通知", {"number": "C007", "window": "3"}
)
SETTINGS = NotificationsSettings(
    aliyun_access_key_id="LTAI-test",
    aliyun_access_key_secret="aliyun-secret",
    aliyun_template_codes=("ticket.called=SMS_200", "default=SMS_100"),
    tencent_secret_id="AKID-test",
    tencent_secret_key="tencent-secret",
    tencent_sdk_app_id="1400000001",
    tencent_template_ids=("ticket.called=2001",),
    wechat_app_id="wx-app",
    wechat_app_secret="wx-secret",
    wechat_template_ids=("ticket.called=TPL-called",),
    timeout_seconds=2.0,
)


def test_alibaba_send_sms_carries_the_documented_parameters_and_a_valid_signature():
    with StandIn({"Code": "OK", "Message": "OK", "BizId": "9006197469364984"}) as provider:
        AliyunSms(replace(SETTINGS, aliyun_endpoint=provider.url + "/")).send(MOBILE, CALLED)
    (request,) = provider.received
    query = request.query
    assert request.method == "GET" and request.path == "/"
    assert {k: query[k] for k in query if k not in ("Signature", "SignatureNonce", "Timestamp")} == {
        "AccessKeyId": "LTAI-test",
        "Action": "SendSms",
        "Format": "JSON",
        "PhoneNumbers": MOBILE,
        "RegionId": "cn-hangzhou",
        "SignName": "社区服务",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureVersion": "1.0",
        "TemplateCode": "SMS_200",
        "TemplateParam": '{"number":"C007","window":"3"}',
        "Version": "2017-05-25",
    }
    assert dt.datetime.strptime(query["Timestamp"], "%Y-%m-%dT%H:%M:%SZ")
    signed = {k: v for k, v in query.items() if k != "Signature"}
    assert query["Signature"] == aliyun_signature(signed, "aliyun-secret")


def test_alibaba_refusal_is_a_channel_error_without_the_number():
    with StandIn({"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "invalid"}) as provider:
        with pytest.raises(ChannelError) as refused:
            AliyunSms(replace(SETTINGS, aliyun_endpoint=provider.url + "/")).send(MOBILE, CALLED)
    assert "isv.MOBILE_NUMBER_ILLEGAL" in str(refused.value) and MOBILE not in str(refused.value)


def test_tencent_send_sms_carries_the_documented_headers_body_and_signature():
    answer = {"Response": {"SendStatusSet": [{"Code": "Ok", "SerialNo": "1"}], "RequestId": "r"}}
    with StandIn(answer) as provider:
        TencentSms(replace(SETTINGS, tencent_endpoint=provider.url + "/")).send(MOBILE, CALLED)
    (request,) = provider.received
    host = provider.url.removeprefix("http://")
    assert request.method == "POST"
    assert request.headers["content-type"] == "application/json; charset=utf-8"
    assert request.headers["host"] == host
    assert (
        request.headers["x-tc-action"],
        request.headers["x-tc-version"],
        request.headers["x-tc-region"],
    ) == ("SendSms", "2021-01-11", "ap-guangzhou")
    assert json.loads(request.body) == {
        "PhoneNumberSet": [f"+86{MOBILE}"],
        "SmsSdkAppId": "1400000001",
        "SignName": "社区服务",
        "TemplateId": "2001",
        "TemplateParamSet": ["C007", "3"],
    }
    timestamp = int(request.headers["x-tc-timestamp"])
    assert request.headers["authorization"] == tencent_authorization(
        "AKID-test",
        "tencent-secret",
        service="sms",
        host=host,
        timestamp=timestamp,
        payload=request.body.decode(),
    )


def test_tencent_error_answer_is_a_channel_error():
    with StandIn(
        {"Response": {"Error": {"Code": "AuthFailure.SignatureFailure", "Message": "x"}}}
    ) as provider:
        with pytest.raises(ChannelError, match="AuthFailure.SignatureFailure"):
            TencentSms(replace(SETTINGS, tencent_endpoint=provider.url + "/")).send(MOBILE, CALLED)


def test_wechat_caches_the_access_token_and_fetches_a_new_one_on_42001():
    answers = (
        {"access_token": "TOKEN-1", "expires_in": 7200},
        {"errcode": 0, "errmsg": "ok", "msgid": 1},
        {"errcode": 42001, "errmsg": "access_token expired"},
        {"access_token": "TOKEN-2", "expires_in": 7200},
        {"errcode": 0, "errmsg": "ok", "msgid": 2},
    )
    openid = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"
    with StandIn(*answers) as provider:
        channel = WeChatTemplates(replace(SETTINGS, wechat_endpoint=provider.url))
        channel.send(openid, CALLED)
        channel.send(openid, CALLED)
    paths = [(r.path, r.query.get("access_token") or r.query.get("grant_type")) for r in provider.received]
    assert paths == [
        ("/cgi-bin/token", "client_credential"),
        ("/cgi-bin/message/template/send", "TOKEN-1"),
        ("/cgi-bin/message/template/send", "TOKEN-1"),
        ("/cgi-bin/token", "client_credential"),
        ("/cgi-bin/message/template/send", "TOKEN-2"),
    ]
    assert provider.received[0].query == {
        "grant_type": "client_credential",
        "appid": "wx-app",
        "secret": "wx-secret",
    }
    body = json.loads(provider.received[1].body)
    assert body["touser"] == openid and body["template_id"] == "TPL-called"
    assert body["data"]["window"] == {"value": "3"} and body["data"]["text"] == {"value": CALLED.text}


def test_wechat_refusal_other_than_an_expired_token_is_not_retried():
    with StandIn(
        {"access_token": "T", "expires_in": 7200}, {"errcode": 43004, "errmsg": "require subscribe"}
    ) as p:
        with pytest.raises(ChannelError, match="43004"):
            WeChatTemplates(replace(SETTINGS, wechat_endpoint=p.url)).send(
                "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", CALLED
            )
    assert len(p.received) == 2


def test_an_unreachable_provider_is_a_channel_error_within_the_timeout():
    with pytest.raises(ChannelError, match="unreachable"):
        AliyunSms(replace(SETTINGS, aliyun_endpoint="http://127.0.0.1:9/", timeout_seconds=0.5)).send(
            MOBILE, CALLED
        )


def _self_signed(tmp_path):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=1))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "relay.pem", tmp_path / "relay.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    return cert_file, context


def test_mail_goes_through_a_real_smtp_server_after_starttls(tmp_path):
    ca_file, context = _self_signed(tmp_path)
    with Mailbox(tls_context=context) as relay:
        settings = replace(
            SETTINGS,
            smtp_host="localhost",
            smtp_port=relay.port,
            smtp_starttls=True,
            smtp_ca_file=str(ca_file),
        )
        SmtpChannel(settings).send("li@example.com", CALLED)
    (mail,) = relay.mails
    assert mail.recipients == ("li@example.com",) and mail.subject == "社区服务通知"
    assert mail.text == "C007号：请到3号窗口办理。"


def test_a_relay_requiring_starttls_refuses_a_plain_session(tmp_path):
    _, context = _self_signed(tmp_path)
    with Mailbox(tls_context=context) as relay:
        with pytest.raises(ChannelError, match="530") as refused:
            SmtpChannel(replace(SETTINGS, smtp_host="localhost", smtp_port=relay.port)).send(
                "li@example.com", CALLED
            )
    assert "li@example.com" not in str(refused.value) and relay.mails == []
