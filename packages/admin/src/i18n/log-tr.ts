// Turkish texts of the delivery log and a delivery's detail, loaded with those pages (see log-messages.ts).
import type { LogMessages } from './log-en';

const logTr: LogMessages = {
  deliveryRange: {
    legend: 'Kabul tarihi',
    quick: {
      '24h': 'Son 24 saat',
      '7d': 'Son 7 gün',
      '30d': 'Son 30 gün',
    },
    from: 'Başlangıç',
    to: 'Bitiş',
    reversed:
      'Bitiş: başlangıç gününe eşit ya da ondan sonraki bir gün seçin; o zamana kadar tarihler uygulanmaz.',
  },
  deliveryChart: {
    summary: 'Sağlayıcı bazında gönderilen ve başarısız denemeler, {range}: {totals}.',
    totals: '{name} {sent} gönderildi, {failed} başarısız',
    showData: 'Grafiği tablo olarak göster',
    hideData: 'Tabloyu gizle',
  },
  deliveryDetail: {
    title: 'Gönderim',
    intro: 'Bu iletiye ne olduğu ve iletinin gönderildiği hâli.',
    back: 'Gönderim Kayıtları',
    notFound: 'Bu gönderim kayıtlarda yok (saklama süresi dolduğu için silinmiş olabilir).',
    summary: 'Özet',
    to: 'Alıcı',
    cc: 'Bilgi',
    bcc: 'Gizli bilgi',
    replyTo: 'Yanıt adresi',
    channel: 'Kanal',
    createdAt: 'Kabul edildi',
    finishedAt: 'Tamamlandı',
    deliveredBy: 'Teslim eden',
    messageId: 'Message-ID',
    resentFrom: 'Şu gönderimin yeniden gönderimi:',
    resentFromLink: '“{subject}”, kabul: {when}',
    resentFromGone: 'Artık kayıtlarda olmayan bir gönderimin yeniden gönderimi.',
    attempts: 'Denemeler',
    headers: 'Başlıklar',
    headersEmpty: 'Bu ileti için başlık kaydedilmedi.',
    headerName: 'Başlık',
    headerValue: 'Değer',
    body: 'İleti',
    text: 'Düz metin sürümü',
    textEmpty: 'Bu iletinin düz metin sürümü yok.',
    html: 'HTML sürümü',
    htmlEmpty: 'Bu iletinin HTML sürümü yok.',
    htmlNote: 'Betikleri çalıştırılmadan, uzak görseller, yazı tipleri ve stiller yüklenmeden gösterilir.',
    htmlFrameTitle: '“{subject}” iletisinin HTML sürümü',
  },
  resend: {
    title: 'Yeniden gönder',
    intro: 'Aynı iletiyi, bu gönderime bağlı yeni bir gönderim olarak tekrar yollar.',
    target: 'Kime',
    same: 'Aynı alıcılara ({to})',
    other: 'Başka bir adrese',
    address: 'Alıcı adresi',
    addressPlaceholder: "ör. ad{'@'}example.com",
    addressInvalid: "Alıcı adresi: ad{'@'}example.com gibi tek bir adres girin.",
    fieldError: 'Alıcı adresi: {message}',
    submit: 'Yeniden gönder',
    sending: 'Yeniden gönderiliyor…',
    done: 'Yeni bir gönderim olarak yeniden gönderildi.',
    open: 'Yeni gönderimi aç',
  },
  retention: {
    title: 'Kayıt saklama süresi',
    current: 'Gönderimler {count} gün saklanır, sonra kayıtlardan silinir.',
    default: '(varsayılan: {count} gün)',
    days: 'Saklanacak gün sayısı',
    help: '{min} ile {max} arasında tam sayı.',
    invalid: '{field}: {min} ile {max} arasında bir tam sayı girin.',
    fieldError: '{field}: {message}',
    saved: 'Gönderimler artık {count} gün saklanacak.',
    adminsOnly: 'Bunu yalnızca yöneticiler değiştirebilir.',
  },
  eventTimeline: {
    title: 'Olaylar',
    empty: 'Henüz kayıtlı olay yok.',
    bounced: {
      HARD: 'Geri döndü (kalıcı: adres yok ya da e-posta kabul etmiyor)',
      SOFT: 'Geri döndü (geçici: örneğin posta kutusu dolu)',
    },
    recipient: 'Alıcı: {recipient}',
    reportedBy: '{name} bildirdi',
    reason: 'Neden: {reason}',
    suppressedTitle: 'Bu alıcılara gönderilmedi',
    suppressedIntro: 'Engel listesindeler; bu yüzden ileti kabul edilirken çıkarıldılar.',
    openList: 'Engel listesini aç',
  },
  alertText: {
    failures: '{count} hata',
    repeatedFailures: 'art arda gelen hatalar',
    quoted: '“{name}”',
    anotherProvider: 'başka bir sağlayıcı',
    CIRCUIT_OPENED: {
      withLast:
        '“{provider}” sağlayıcısı {failures} sonrasında şimdilik atlanıyor (son hata: {last}); bir süre sonra yeniden denenecek.',
      plain:
        '“{provider}” sağlayıcısı {failures} sonrasında şimdilik atlanıyor; bir süre sonra yeniden denenecek.',
    },
    CIRCUIT_CLOSED: '“{provider}” sağlayıcısı yeniden teslim ediyor ve zincire geri döndü.',
    HEALTH_RESET:
      '“{provider}” sağlayıcısının ayarları değişti; önceki hataları unutuldu ve yeniden deneniyor.',
    OAUTH_REVOKED:
      '“{provider}” sağlayıcısı gönderemiyor: Microsoft, Google ya da başka bir OAuth2 oturumu iptal edilmiş veya süresi dolmuş. Sağlayıcıyı Güvenlik > E-posta Sağlayıcıları altında açın ve Yeniden bağlan’ı seçin.',
    WEBHOOK_DISABLED:
      '“{endpoint}” webhook uç noktası çok uzun süre başarısız olduğu için devre dışı bırakıldı. Alıcıyı düzeltin, ardından uç noktayı Ayarlar > Bildirimler altında yeniden etkinleştirin.',
    FALLBACK_USED: {
      afterFailure:
        '“{provider}” sağlayıcısı başarısız olduğu için e-posta {deliveredBy} üzerinden gönderildi (son hata: {last}).',
      whileSkipped:
        '“{provider}” sağlayıcısı art arda hatalar nedeniyle atlandığı için e-posta {deliveredBy} üzerinden gönderildi.',
    },
  },
};

export default logTr;
