import { defineMessages } from '../../i18n/index';

export const useSignInMessages = defineMessages('signIn', {
  en: {
    developerTitle: 'Sign in to the developer portal',
    developerHint:
      'Your access key, its secret and your main account’s user-id. They stay in this browser tab only and sign every request here.',
    accessKey: 'Access key',
    accessSecret: 'Access secret',
    userId: 'User id',
    operatorTitle: 'Sign in to the operator console',
    operatorHint:
      'The operator token (PONTE_ADMIN_TOKEN, or the admin-token file in the data folder). It stays in this tab only.',
    token: 'Operator token',
    required: 'Required',
    signingIn: 'Signing in…',
    other: 'Other sign-in',
  },
  zh: {
    developerTitle: '登录开发者门户',
    developerHint: '填写 access key、密钥和主账号的 user-id。它们只保存在当前浏览器标签页中，用于在此签名每个请求。',
    accessKey: 'Access key',
    accessSecret: '密钥',
    userId: 'User id',
    operatorTitle: '登录运营控制台',
    operatorHint: '运营令牌（PONTE_ADMIN_TOKEN，或数据目录中的 admin-token 文件）。只保存在当前标签页中。',
    token: '运营令牌',
    required: '必填',
    signingIn: '登录中…',
    other: '其他登录',
  },
  vi: {
    developerTitle: 'Đăng nhập cổng nhà phát triển',
    developerHint:
      'Access key, khóa bí mật và user-id của tài khoản chính. Chúng chỉ được giữ trong thẻ trình duyệt này và dùng để ký mọi yêu cầu.',
    accessKey: 'Access key',
    accessSecret: 'Khóa bí mật',
    userId: 'User id',
    operatorTitle: 'Đăng nhập bảng điều hành',
    operatorHint:
      'Mã của nhà vận hành (PONTE_ADMIN_TOKEN, hoặc tệp admin-token trong thư mục dữ liệu). Chỉ giữ trong thẻ này.',
    token: 'Mã nhà vận hành',
    required: 'Bắt buộc',
    signingIn: 'Đang đăng nhập…',
    other: 'Cách đăng nhập khác',
  },
  th: {
    developerTitle: 'เข้าสู่พอร์ทัลนักพัฒนา',
    developerHint: 'Access key รหัสลับ และ user-id ของบัญชีหลัก เก็บไว้ในแท็บนี้เท่านั้นและใช้ลงนามทุกคำขอ',
    accessKey: 'Access key',
    accessSecret: 'รหัสลับ',
    userId: 'User id',
    operatorTitle: 'เข้าสู่คอนโซลผู้ดูแล',
    operatorHint: 'โทเค็นผู้ดูแล (PONTE_ADMIN_TOKEN หรือไฟล์ admin-token ในโฟลเดอร์ข้อมูล) เก็บไว้ในแท็บนี้เท่านั้น',
    token: 'โทเค็นผู้ดูแล',
    required: 'จำเป็น',
    signingIn: 'กำลังเข้าสู่ระบบ…',
    other: 'เข้าสู่ระบบแบบอื่น',
  },
  es: {
    developerTitle: 'Iniciar sesión en el portal de desarrolladores',
    developerHint:
      'Su access key, su secreto y el user-id de la cuenta principal. Solo se guardan en esta pestaña y firman cada solicitud.',
    accessKey: 'Access key',
    accessSecret: 'Secreto',
    userId: 'User id',
    operatorTitle: 'Iniciar sesión en la consola del operador',
    operatorHint:
      'El token del operador (PONTE_ADMIN_TOKEN o el archivo admin-token de la carpeta de datos). Solo en esta pestaña.',
    token: 'Token del operador',
    required: 'Obligatorio',
    signingIn: 'Iniciando sesión…',
    other: 'Otro inicio de sesión',
  },
});
