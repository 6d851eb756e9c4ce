import type { HintCatalog, HintContext } from './index';

/** Sağlayıcının kodunu başa ekler; yönetici bu kodla arama yapabilsin. */
function withCode(fallback: string, text: string): (context: HintContext) => string {
  return (context) => `${context.code ?? fallback}: ${text}`;
}

function waitFor(context: HintContext): string {
  return context.retryAfterSeconds !== undefined
    ? ` Sağlayıcı ${context.retryAfterSeconds} sn beklenmesini istedi; o zamana kadar atlanır.`
    : ' Kısa bir bekleme süresi boyunca atlanır.';
}

/** Turkish hint texts. */
export const tr: HintCatalog = {
  connectionRefused: withCode(
    'ECONNREFUSED',
    'bu SMTP Sunucusu ve Port üzerinde bağlantı kabul eden bir servis yok — ikisini de ve portun bir güvenlik duvarınca engellenmediğini kontrol edin.',
  ),
  dnsFailure: withCode(
    'ENOTFOUND',
    'SMTP Sunucusu adı çözümlenemedi — yazım hatası olup olmadığını (şema ve yol olmadan) ve bu sunucunun DNS’e erişebildiğini kontrol edin.',
  ),
  connectionReset: withCode(
    'ECONNRESET',
    'sunucu, ileti teslim edilmeden bağlantıyı kesti — genellikle bir güvenlik duvarı ya da yoğun bir sunucudur; hiçbir şey gönderilmedi, sıradaki sağlayıcı deneniyor.',
  ),
  connectionClosed: withCode(
    'ECONNECTION',
    'sunucu, ileti teslim edilmeden bağlantıyı kapattı; hiçbir şey gönderilmedi. Tekrarlanırsa Port ve Şifreleme ayarlarını ve sağlayıcının durum sayfasını kontrol edin.',
  ),
  networkUnreachable: withCode(
    'EHOSTUNREACH',
    'SMTP Sunucusuna bu sunucudan ulaşılamıyor — yönlendirmeyi ve dışa giden güvenlik duvarı kurallarını kontrol edin.',
  ),
  networkError: withCode(
    'ağ hatası',
    'istek sağlayıcıya ulaşmadı — sunucu adını, ağı ve dışa giden güvenlik duvarı kurallarını kontrol edin.',
  ),
  notSmtp: withCode(
    'EPROTOCOL',
    'bu sunucu ve porttaki servis SMTP konuşmuyor — Port’u kontrol edin (STARTTLS için genellikle 587, SSL/TLS için 465).',
  ),
  outboundRefused: withCode(
    'adres reddedildi',
    'bu sunucu sağlayıcının adresine bağlanmıyor (geri döngü, özel, bağlantı-yerel ya da başka bir ayrılmış aralık). Sağlayıcı gerçekten kendi ağınızdaysa sunucu adını ya da aralığını ALLOWED_PROVIDER_HOSTS’a ekleyin; bağlantı-yerel, bulut metadata, çoklu yayın ve belirtilmemiş adreslere hiçbir zaman izin verilmez.',
  ),
  connectTimeout: withCode(
    'ETIMEDOUT',
    'süre sınırı içinde TCP bağlantısı kurulamadı — sunucu kapalı ya da bir güvenlik duvarı portu sessizce engelliyor; SMTP Sunucusu ve Port’u kontrol edin.',
  ),
  greetingTimeout: withCode(
    'karşılama zaman aşımı',
    'bağlantı kuruldu ama sunucu hiç karşılama mesajı göndermedi. Port 465 ise Şifreleme olarak SSL/TLS seçin (465 ilk bayttan itibaren TLS bekler); değilse sunucu aşırı yüklü ya da yanıt vermiyor.',
  ),
  socketTimeout: withCode(
    'ETIMEDOUT',
    'sunucu, ileti teslim edilmeden yanıt vermeyi bıraktı; hiçbir şey gönderilmedi. Tekrarlanırsa sağlayıcı aşırı yüklüdür.',
  ),
  httpTimeout: withCode(
    'zaman aşımı',
    'API, istek tamamen gönderilmeden yanıt vermedi; hiçbir şey teslim edilmedi. API sunucusunu ve sağlayıcının durum sayfasını kontrol edin.',
  ),
  tlsWrongVersion: withCode(
    'wrong version number',
    'STARTTLS portu için SSL/TLS seçilmiş — 587 portunda STARTTLS, 465 portunda SSL/TLS kullanın.',
  ),
  tlsCertificate: withCode(
    'sertifika hatası',
    'sunucunun TLS sertifikasına güvenilmiyor — SMTP Sunucusu alanının sertifikadaki ad olduğunu (IP ya da takma ad değil) kontrol edin; özel bir sertifika otoritesi kullanılıyorsa onu sağlayıcının TLS ayarlarına ekleyin.',
  ),
  tlsHandshake: withCode(
    'TLS hatası',
    'TLS el sıkışması başarısız oldu — Şifreleme ayarının Port ile uyumlu olduğunu (465’te SSL/TLS, 587’de STARTTLS) ve sunucunun TLS 1.2 veya üstünü desteklediğini kontrol edin.',
  ),
  tlsRequired: withCode(
    '530',
    'sunucu, oturum açmadan önce şifreli bağlantı istiyor — Şifreleme olarak Yok yerine 587’de STARTTLS ya da 465’te SSL/TLS seçin.',
  ),
  starttlsRefused: withCode(
    'STARTTLS',
    'sunucu bu portta STARTTLS sunmuyor. Port 465 ise SSL/TLS seçin; değilse sağlayıcının STARTTLS portunu öğrenin (genellikle 587).',
  ),
  requireTlsUnsupported: withCode(
    'EREQUIRETLS',
    'sunucu, bu iletinin istediği REQUIRETLS uzantısını desteklemiyor — iletiyi bu seçenek olmadan gönderin ya da destekleyen bir sağlayıcı kullanın.',
  ),
  authFailed: withCode(
    '535 5.7.8',
    'sunucu oturum açma isteğini reddetti — Kullanıcı Adı ve Şifre’yi kontrol edin (API servislerinde hesap şifresi değil, sağlayıcının belirttiği SMTP bilgileri ya da anahtar kullanılır).',
  ),
  authRequired: withCode(
    '530 5.7.0',
    'sunucu oturum açılmasını istiyor — Kullanıcı Adı ve Şifre’yi doldurun.',
  ),
  authMechanism: withCode(
    '534',
    'sunucu bu bağlantıda bu oturum açma yöntemini kabul etmiyor — şifrenin şifreli gitmesi için STARTTLS ya da SSL/TLS seçin veya uygulamaya özel kimlik bilgileri kullanın.',
  ),
  authMissingCredentials: withCode(
    'EAUTH',
    'sunucu oturum açılmasını istiyor ama Kullanıcı Adı/Şifre girilmemiş — ikisini de doldurun.',
  ),
  authTemporary: withCode(
    '454 4.7.0',
    'sunucuda geçici bir kimlik doğrulama hatası var — daha sonra yeniden denenir; sürerse Kullanıcı Adı ve Şifre’yi kontrol edin.',
  ),
  basicAuthDisabled: withCode(
    '535 5.7.139',
    'kiracı bu posta kutusu için şifreyle oturum açmayı (SMTP temel kimlik doğrulaması) kapatmış — OAuth2 ile bağlanın (sağlayıcı formunda Microsoft ile oturum aç seçeneğini seçin) ya da kiracı yöneticisinden posta kutusu için SMTP AUTH’u yeniden açmasını isteyin.',
  ),
  oauthTokenRefused: withCode(
    '535',
    'sunucu OAuth2 erişim belirtecini, yeni alınmış olanını bile reddetti — Kullanıcı Adı’nın oturum açan posta kutusu olduğunu, uygulamanın SMTP.Send iznine sahip olduğunu ve posta kutusunda SMTP AUTH’un açık olduğunu kontrol edin; sürerse Güvenlik > E-posta Sağlayıcıları’nda Yeniden bağlan’a tıklayın.',
  ),
  oauthGrantRevoked: withCode(
    'invalid_grant',
    'Bu sağlayıcının OAuth2 oturumu iptal edilmiş ya da süresi dolmuş — sağlayıcıyı Güvenlik > E-posta Sağlayıcıları’nda açın ve Yeniden bağlan’a tıklayın.',
  ),
  oauthTokenUnavailable: withCode(
    'OAuth2',
    'oturum açma hizmeti yanıt vermediği ya da hata verdiği için erişim belirteci alınamadı; hiçbir şey gönderilmedi. Sıradaki sağlayıcı denenir ve oturum daha sonra yeniden denenir; sürerse bu sunucunun belirteç adresine erişebildiğini kontrol edin.',
  ),
  httpAuth: withCode(
    'HTTP 401',
    'API anahtarı reddedildi — gönderim yetkisi olan geçerli bir anahtarı Şifre alanına girin ve API sunucusunun bölgesinin (EU/US) hesapla uyuştuğunu kontrol edin.',
  ),
  relayDenied: (context) =>
    `${context.code ?? '550 5.7.1'} aktarıma izin verilmiyor: bu hesap bu adresten ya da oturum açmadan gönderemez — Kullanıcı Adı/Şifre’yi ve Gönderen E-posta’nın doğrulanmış bir gönderici olduğunu kontrol edin.`,
  relayDeniedAtRcpt: withCode(
    '554 5.7.1',
    'aktarım reddedildi: sunucu bu hesap için postayı iletmiyor — oturum açın (Kullanıcı Adı/Şifre) ve Gönderen E-posta’nın bu sağlayıcının kabul ettiği bir gönderici olduğundan emin olun.',
  ),
  senderRejected: withCode(
    '553 5.1.8',
    'sunucu Gönderen E-posta adresini reddetti — adresin geçerli olduğunu, alan adının var olduğunu ve bu hesap için izinli olduğunu kontrol edin.',
  ),
  httpSenderNotVerified: withCode(
    'gönderici doğrulanmamış',
    'Gönderen E-posta ya da alan adı bu sağlayıcıda doğrulanmamış — alan adını (SPF/DKIM) veya göndericiyi sağlayıcının panelinde doğrulayın ya da doğrulanmış bir Gönderen E-posta kullanın.',
  ),
  httpAccountRestricted: withCode(
    'hesap kısıtlı',
    'sağlayıcı bu hesabın şu anda göndermesine izin vermiyor (engellenmiş, incelemede ya da yetkisiz) — hesabı sağlayıcının panelinden kontrol edin.',
  ),
  httpIpNotAllowed: withCode(
    'IP izinli değil',
    'bu sunucunun IP adresi sağlayıcının izin listesinde değil — sağlayıcının panelinden ekleyin.',
  ),
  smtpThrottled: (context) =>
    `${context.code ?? '421 4.7.0'}: sağlayıcı bu hesabı kısıtlıyor (çok fazla ileti ya da bağlantı).${waitFor(context)}`,
  sesThrottled: (context) =>
    `${context.code ?? '454'}: Amazon SES en yüksek gönderim hızı aşıldı — gönderim kotasını artırın ya da hızı düşürün.${waitFor(context)}`,
  httpRateLimited: (context) =>
    `${context.code ?? 'HTTP 429'}: API istek sınırına ulaşıldı.${waitFor(context)}`,
  httpQuota: (context) =>
    `${context.code ?? 'HTTP 402'}: hesabın gönderim kotası ya da kredisi bitti — kredi alın ya da paketin sınırını yükseltin.${waitFor(context)}`,
  serviceClosing: withCode(
    '421',
    'sunucu bağlantıyı kapatıyor (bakım ya da aşırı yük) — sıradaki sağlayıcı deneniyor; tekrarlanırsa sağlayıcının durum sayfasına bakın.',
  ),
  greetingRefused: withCode(
    '554',
    'sunucu bağlantıyı hemen reddetti — bu sunucunun IP adresi engellenmiş olabilir ya da bu portta size açık bir SMTP servisi yok.',
  ),
  localError: withCode(
    '451 4.3.0',
    'sağlayıcıda geçici bir hata oluştu — sıradaki sağlayıcı deneniyor, ileti daha sonra yeniden denenecek.',
  ),
  storageFull: withCode(
    '452 4.3.1',
    'sağlayıcının depolama alanı şu an dolu — sıradaki sağlayıcı deneniyor, ileti daha sonra yeniden denenecek.',
  ),
  tooManyRecipients: withCode(
    '452 4.5.3',
    'bu sağlayıcı için tek iletide çok fazla alıcı var — ileti başına daha az alıcıya gönderin.',
  ),
  providerTransient: withCode(
    '4xx',
    'sağlayıcı geçici bir sorun bildirdi — sıradaki sağlayıcı deneniyor, ileti daha sonra yeniden denenecek.',
  ),
  providerUnavailable: withCode(
    '5xx',
    'sağlayıcı kendi tarafındaki bir nedenle reddetti — sağlayıcının durum sayfasını ve hesabı kontrol edin.',
  ),
  httpServerError: withCode(
    'HTTP 5xx',
    'API tarafında sunucu hatası var — sıradaki sağlayıcı deneniyor, ileti daha sonra yeniden denenecek.',
  ),
  httpNotFoundTransient: withCode(
    'HTTP 404',
    'API 404 döndü; bu sağlayıcıda bu yanıt geçici olabilir — gönderim alan adının bu hesapta tanımlı olduğunu kontrol edin; ileti yeniden denenecek.',
  ),
  httpWrongEndpoint: withCode(
    'HTTP 404',
    'API adresi bulunamadı — bu sağlayıcının API sunucusunu (bölgesini) kontrol edin.',
  ),
  notVendorApi: withCode(
    'HTTP 200',
    'sunucu yanıt verdi ama bu sağlayıcının API’si olarak değil — bu sağlayıcının API sunucusunu ve Port’unu, araya bir vekil sunucu ya da giriş sayfası girmediğini kontrol edin.',
  ),
  recipientUnknown: withCode(
    '550 5.1.1',
    'alıcı adresi mevcut değil — yazımını kontrol edin; başka bir sağlayıcı da aynı yanıtı alacağı için denenmez.',
  ),
  recipientMailboxFull: withCode(
    '552 5.2.2',
    'alıcının posta kutusu dolu — yer açmasını isteyin; başka bir sağlayıcı da aynı yanıtı alır.',
  ),
  recipientRejected: withCode(
    '550',
    'alıcının sunucusu bu adresi reddetti — adresi kontrol edin; başka bir sağlayıcı da aynı yanıtı alır.',
  ),
  httpInactiveRecipient: withCode(
    'pasif alıcı',
    'sağlayıcı bu alıcıyı pasifleştirmiş (önceki kalıcı geri dönüş ya da spam şikâyeti) — adres yeniden geçerliyse sağlayıcının panelinden etkinleştirin.',
  ),
  messageTooBig: withCode(
    '552 5.3.4',
    'ileti sağlayıcı için çok büyük — ekleri küçültün ya da dosya yerine bağlantı gönderin.',
  ),
  messageContent: withCode(
    '554 5.6.0',
    'sağlayıcı iletinin içeriğini (biçim ya da kodlama) reddetti — ekleri ve başlıkları kontrol edin; başka bir sağlayıcı da büyük olasılıkla reddeder.',
  ),
  messagePolicy: withCode(
    '554 5.7.1',
    'sağlayıcı ileti içeriğini politika gereği reddetti (spam ya da virüs filtresi) — metni, bağlantıları ve ekleri gözden geçirin.',
  ),
  messageRejected: withCode(
    '554',
    'sağlayıcı bu iletiyi reddetti — yukarıdaki açıklamayı okuyun; başka bir sağlayıcı da büyük olasılıkla reddeder.',
  ),
  invalidRecipientAddress: withCode(
    'EENVELOPE',
    'alıcı adreslerinden biri geçersiz — düzeltip yeniden gönderin.',
  ),
  noRecipients: withCode('EENVELOPE', 'iletinin alıcısı yok — en az bir Kime adresi ekleyin.'),
  httpValidation: withCode(
    'HTTP 400',
    'API isteği geçersiz saydı — yukarıdaki mesajda adı geçen alanı (adresler, konu, ekler) kontrol edin.',
  ),
  httpTooLarge: withCode('HTTP 413', 'ileti API’nin kabul ettiği boyuttan büyük — ekleri küçültün.'),
  httpIdempotencyConflict: withCode(
    'HTTP 409',
    'sağlayıcıda bu tekrar önleme anahtarıyla yapılmış bir istek zaten var — ileti büyük olasılıkla gönderildi; yeniden göndermeden önce kontrol edin.',
  ),
  ambiguousAfterData: withCode(
    'DATA sonrası bağlantı koptu',
    'ileti teslim edildi ama sunucu onaylamadı — sıradaki sağlayıcı da denendiği için ileti iki kez ulaşabilir.',
  ),
  ambiguousHttp: withCode(
    'yanıt yok',
    'istek gönderildi ama yanıt gelmedi — sıradaki sağlayıcı da denendiği için ileti iki kez ulaşabilir.',
  ),
  invalidSender: withCode(
    'EENVELOPE',
    'bu sağlayıcının Gönderen E-posta adresi geçerli değil — sağlayıcı ayarlarından düzeltin.',
  ),
  config: withCode(
    'ECONFIG',
    'sağlayıcı ayarları kullanılamıyor — Sunucu, Port, Şifreleme ve TLS seçeneklerini kontrol edin.',
  ),
  protocolError: withCode(
    'EPROTOCOL',
    'sunucu SMTP protokolüne uymayan bir yanıt verdi — Port’u ya da aradaki bir vekil sunucuyu kontrol edin.',
  ),
  unknown: withCode(
    'hata',
    'beklenmeyen bir hata oluştu — sıradaki sağlayıcı deneniyor; tekrarlanırsa yukarıdaki mesajı sağlayıcının destek ekibine iletin.',
  ),
};
