// The messages the portal sends by email and SMS, in Vietnamese and English, as data: each template
// has a subject and text for email and a short `sms` text, with `{param}` placeholders.
import { isLang, type Lang } from '../../i18n/index.ts';

export type RenderedMessage = { subject: string; text: string; sms: string };
export type Template = Record<Lang, RenderedMessage>;

// One SMS carries 160 GSM-7 characters but only 70 once a single Vietnamese letter forces UCS-2,
// so gateways send Vietnamese SMS without tone marks. The rule of thumb: each `sms` text, folded to
// ASCII, fits in 160 characters with the longest values we send (a 25-character dossier code, a
// status label of up to 30 characters, a tracking URL of up to 70); the tests hold us to it.
// Names and procedure names are too long to budget for, so they stay out of SMS.

const signature: Record<Lang, string> = {
  vi: '\n\n--\nCổng dịch vụ công Một Cửa\nĐây là thư tự động, vui lòng không trả lời thư này.',
  en: '\n\n--\nMột Cửa public services portal\nThis is an automatic message: please do not reply to it.',
};

export const templates = {
  account_verify_code: {
    vi: {
      subject: 'Mã xác minh tài khoản Một Cửa: {code}',
      text: 'Xin chào {name},\n\nMã xác minh tài khoản của bạn trên Cổng dịch vụ công Một Cửa là:\n\n    {code}\n\n'
        + 'Mã có hiệu lực trong {minutes} phút. Không chia sẻ mã này với bất kỳ ai, kể cả người tự xưng là cán bộ.\n\n'
        + 'Nếu bạn không đăng ký tài khoản, hãy bỏ qua thư này.' + signature.vi,
      sms: 'Một Cửa: mã xác minh tài khoản của bạn là {code}, hiệu lực {minutes} phút. Không chia sẻ mã này với bất kỳ ai.',
    },
    en: {
      subject: 'Your Một Cửa verification code: {code}',
      text: 'Hello {name},\n\nYour verification code for your account on the Một Cửa public services portal is:\n\n    {code}\n\n'
        + 'It is valid for {minutes} minutes. Do not share it with anyone, even someone who says they are an official.\n\n'
        + 'If you did not sign up, you can ignore this message.' + signature.en,
      sms: 'Một Cửa: your verification code is {code}, valid for {minutes} minutes. Do not share it with anyone.',
    },
  },
  password_reset_code: {
    vi: {
      subject: 'Mã đặt lại mật khẩu Một Cửa: {code}',
      text: 'Xin chào {name},\n\nCó yêu cầu đặt lại mật khẩu cho tài khoản của bạn trên Cổng dịch vụ công Một Cửa. Mã đặt lại mật khẩu là:\n\n    {code}\n\n'
        + 'Mã có hiệu lực trong {minutes} phút. Không chia sẻ mã này với bất kỳ ai.\n\n'
        + 'Nếu bạn không yêu cầu, hãy bỏ qua thư này: mật khẩu của bạn không thay đổi.' + signature.vi,
      sms: 'Một Cửa: mã đặt lại mật khẩu là {code}, hiệu lực {minutes} phút. Nếu bạn không yêu cầu, hãy bỏ qua tin này.',
    },
    en: {
      subject: 'Your Một Cửa password reset code: {code}',
      text: 'Hello {name},\n\nSomeone asked to reset the password of your account on the Một Cửa public services portal. The reset code is:\n\n    {code}\n\n'
        + 'It is valid for {minutes} minutes. Do not share it with anyone.\n\n'
        + 'If it was not you, ignore this message: your password has not changed.' + signature.en,
      sms: 'Một Cửa: your password reset code is {code}, valid for {minutes} minutes. If you did not ask for it, ignore this message.',
    },
  },
  // After a password reset, to the account's other contact. Never the code or the password.
  password_changed: {
    vi: {
      subject: 'Mật khẩu tài khoản Một Cửa của bạn vừa được đặt lại',
      text: 'Xin chào {name},\n\nMật khẩu tài khoản của bạn trên Cổng dịch vụ công Một Cửa vừa được đặt lại lúc {at}, '
        + 'và mọi phiên đăng nhập cũ đã kết thúc.\n\n'
        + 'Nếu đó là bạn, không cần làm gì thêm. Nếu không phải bạn, hãy đặt lại mật khẩu ngay và liên hệ bộ phận một cửa.' + signature.vi,
      sms: 'Mot Cua: mat khau tai khoan cua ban vua duoc dat lai luc {at}. Neu khong phai ban, hay dat lai mat khau ngay.',
    },
    en: {
      subject: 'The password of your Một Cửa account was reset',
      text: 'Hello {name},\n\nThe password of your account on the Một Cửa public services portal was reset at {at}, '
        + 'and every earlier session has ended.\n\n'
        + 'If it was you, there is nothing more to do. If it was not, reset your password now and contact the one-stop desk.' + signature.en,
      sms: 'Mot Cua: the password of your account was reset at {at}. If it was not you, reset it now.',
    },
  },
  dossier_submitted: {
    vi: {
      subject: 'Hồ sơ {code} đã được nộp',
      text: 'Xin chào {name},\n\nHồ sơ {code} của bạn cho thủ tục “{procedure}” đã được nộp. Bộ phận một cửa sẽ kiểm tra và tiếp nhận hồ sơ; '
        + 'bạn sẽ nhận được thông báo mỗi khi hồ sơ có thay đổi.\n\nTheo dõi hồ sơ: {trackingUrl}\n\n'
        + 'Hãy giữ mã hồ sơ {code} để tra cứu và khi liên hệ với cơ quan giải quyết.' + signature.vi,
      sms: 'Một Cửa: hồ sơ {code} đã được nộp. Theo dõi tại {trackingUrl}',
    },
    en: {
      subject: 'Dossier {code} submitted',
      text: 'Hello {name},\n\nYour dossier {code} for “{procedure}” has been submitted. The one-stop desk will check it and take it in; '
        + 'you will be told whenever it changes.\n\nTrack your dossier: {trackingUrl}\n\n'
        + 'Keep the code {code} to look it up and when you contact the office handling it.' + signature.en,
      sms: 'Một Cửa: dossier {code} submitted. Track it at {trackingUrl}',
    },
  },
  dossier_due_reminder: {
    vi: {
      subject: 'Nhắc hạn: {overdue} hồ sơ quá hạn, {dueSoon} hồ sơ sắp đến hạn',
      text: 'Xin chào {name},\n\nCác hồ sơ bạn đang xử lý cần chú ý về thời hạn:\n\n{list}\n\n'
        + 'Mở hàng chờ: {queueUrl}' + signature.vi,
      sms: 'Mot Cua: {overdue} ho so qua han, {dueSoon} ho so sap den han. {queueUrl}',
    },
    en: {
      subject: 'Deadlines: {overdue} dossiers overdue, {dueSoon} due soon',
      text: 'Hello {name},\n\nThese dossiers you handle need attention to their deadlines:\n\n{list}\n\n'
        + 'Open the queue: {queueUrl}' + signature.en,
      sms: 'Mot Cua: {overdue} dossiers overdue, {dueSoon} due soon. {queueUrl}',
    },
  },
  feedback_answered: {
    vi: {
      subject: 'Trả lời phản ánh, kiến nghị: {subject}',
      text: 'Xin chào {name},\n\nCơ quan đã trả lời phản ánh, kiến nghị “{subject}” của bạn:\n\n{answer}\n\n'
        + 'Các phản ánh đã trả lời được công khai tại: {url}' + signature.vi,
      sms: 'Mot Cua: phan anh, kien nghi cua ban da duoc tra loi qua thu dien tu hoac tai {url}',
    },
    en: {
      subject: 'Answer to your feedback: {subject}',
      text: 'Hello {name},\n\nThe agency has answered your feedback “{subject}”:\n\n{answer}\n\n'
        + 'Answered feedback is published at: {url}' + signature.en,
      sms: 'Mot Cua: your feedback has been answered; see {url}',
    },
  },
  dossier_status_changed: {
    vi: {
      subject: 'Hồ sơ {code}: {status}',
      text: 'Xin chào {name},\n\nHồ sơ {code} của bạn (thủ tục “{procedure}”) có trạng thái mới: {status}.\n\n'
        + 'Xem chi tiết và việc cần làm tiếp theo: {trackingUrl}' + signature.vi,
      sms: 'Một Cửa: hồ sơ {code}: {status}. {trackingUrl}',
    },
    en: {
      subject: 'Dossier {code}: {status}',
      text: 'Hello {name},\n\nYour dossier {code} (“{procedure}”) has a new status: {status}.\n\n'
        + 'See the details and what to do next: {trackingUrl}' + signature.en,
      sms: 'Một Cửa: dossier {code}: {status}. {trackingUrl}',
    },
  },
  // Each change of a shipment of the public postal service (docs/domain.md §9): the dossier to the desk, the result to the applicant.
  shipment_status_changed: {
    vi: {
      subject: 'Hồ sơ {code}: bưu gửi {status}',
      text: 'Xin chào {name},\n\nBưu gửi của hồ sơ {code} (thủ tục “{procedure}”) có trạng thái mới: {status}.\n'
        + 'Chiều: {direction}. Số hiệu bưu gửi: {tracking}.' + signature.vi,
      sms: 'Một Cửa: hồ sơ {code}: bưu gửi {status}. Số hiệu: {tracking}',
    },
    en: {
      subject: 'Dossier {code}: shipment {status}',
      text: 'Hello {name},\n\nThe shipment of your dossier {code} (“{procedure}”) has a new status: {status}.\n'
        + 'Direction: {direction}. Tracking number: {tracking}.' + signature.en,
      sms: 'Một Cửa: dossier {code}: shipment {status}. Tracking: {tracking}',
    },
  },
} satisfies Record<string, Template>;

export type TemplateKey = keyof typeof templates;

export function isTemplateKey(value: string): value is TemplateKey {
  return Object.hasOwn(templates, value);
}

/** A template filled in one language. Throws when a placeholder has no value: a message with a
 *  literal "{code}" in it is worse than none. */
export function render(template: TemplateKey, lang: Lang, params: Record<string, string>): RenderedMessage {
  if (!isTemplateKey(template)) throw new Error(`unknown message template ${JSON.stringify(template)}`);
  if (!isLang(lang)) throw new Error(`unknown message language ${JSON.stringify(lang)}`);
  const t = templates[template][lang];
  const fill = (text: string) =>
    text.replace(/\{(\w+)\}/g, (_, key: string) => {
      const value = Object.hasOwn(params, key) ? params[key] : undefined;
      if (typeof value !== 'string') throw new Error(`template ${template} needs the parameter "${key}"`);
      return value;
    });
  return { subject: fill(t.subject), text: fill(t.text), sms: fill(t.sms) };
}
