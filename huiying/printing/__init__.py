"""Printables (PDF with Chinese fonts, QR codes): contact cards (亲民卡), board poster, duty roster, record book, workflow chart."""
